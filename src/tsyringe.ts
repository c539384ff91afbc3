import { requireCjs } from './require-cjs.ts';

// The polyfill is one small file and goes in first, as before: a class plugin compiled by tsc with
// emitDecoratorMetadata records its parameter types only if Reflect.metadata exists when its module runs.
requireCjs('reflect-metadata');

let loaded: typeof import('tsyringe') | undefined;

/**
 * tsyringe (see require-cjs.ts for why require), loaded on first use: its 33 files are ~12 ms of a process's
 * start (paired runs: `node -e` of reflect-metadata +3 ms over `node -e 0`, with tsyringe +13 ms), which a CLI
 * that never builds a class plugin nor touches `hub.container` need not pay.
 */
export function loadTsyringe(): typeof import('tsyringe') {
  loaded ??= requireCjs('tsyringe') as typeof import('tsyringe');
  return loaded;
}
