import { HubOptionsError } from '../errors.ts';

/**
 * How `.ts` plugin files are loaded. `transform`: each file is compiled once into tspop's cache and imported
 * natively, no process-wide hooks. `native`: `import()` the `.ts` file itself, for a process that already has a
 * TypeScript loader (so a plugin and the host share one instance of every module). `auto` picks `native` when
 * such a loader is present and `transform` otherwise.
 */
export type TsLoaderMode = 'auto' | 'transform' | 'native';

const MODES: readonly string[] = ['auto', 'transform', 'native'];

/** The mode in force: the option, else `TSPOP_TS_LOADER`, else `auto`; `auto` is decided here, once. */
export function resolveTsLoaderMode(option: TsLoaderMode | undefined): 'transform' | 'native' {
  const env = process.env.TSPOP_TS_LOADER;
  const mode = option ?? (env === undefined || env === '' ? 'auto' : env);
  if (!MODES.includes(mode)) {
    const source = option === undefined ? 'TSPOP_TS_LOADER' : 'the loader option "ts"';
    throw new HubOptionsError(`${source} must be one of ${MODES.join(', ')}, not "${mode}"`);
  }
  if (mode === 'auto') return hasTypeScriptLoader() ? 'native' : 'transform';
  return mode as 'transform' | 'native';
}

/**
 * vitest (where it serves tspop's own modules), `tsx script.ts`, `node --import tsx`, a process that registered tsx
 * itself (the repository's bin shims set the flag below) and Node's `--experimental-transform-types` already load TS:
 * transforming again would give a plugin its own copy of modules the host has loaded. Node's strip-only mode does not count: it cannot load
 * decorators, enums or parameter properties, which class plugins use.
 */
export function hasTypeScriptLoader(): boolean {
  // vitest's own workers, not process.env.VITEST: child processes a test spawns inherit the variable, not the loader.
  // Only where this copy of tspop runs through vitest's transform (its sources, in the repository's own tests): an
  // installed package is externalised, its `import()` is plain Node's and cannot load `.ts` (unless tsx's hooks
  // are in the worker too, checked below).
  if (inVitestWorker() && viteTransformed()) return true;
  if ((globalThis as Record<symbol, unknown>)[Symbol.for('tspop.tsx.registered')]) return true;
  if ((process.features as { typescript?: unknown }).typescript === 'transform') return true;
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  // `tsx script.ts` re-runs node with `--import file:///.../tsx/dist/loader.mjs`
  return /(^|[\s=/])tsx(\/esm|\/cjs)?(\s|$)|--(import|loader|require)[= ]tsx|[\\/]tsx[\\/]dist[\\/]/.test(flags);
}

/** Inside a vitest worker (whether or not tspop's own code goes through its transform). */
export function inVitestWorker(): boolean {
  return '__vitest_worker__' in globalThis;
}

/**
 * Whether this module was served by Vite's transform, whose `import()` loads `.ts`: Vite gives a module's
 * `import.meta` an `env` object, Node never does.
 */
function viteTransformed(): boolean {
  return (import.meta as { env?: unknown }).env !== undefined;
}
