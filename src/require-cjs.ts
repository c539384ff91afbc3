import { createRequire } from 'node:module';

/**
 * Loads a CommonJS dependency with require(). Importing one as ESM makes Node run cjs-module-lexer over every
 * file it re-exports: for tsyringe (33 files) that alone was ~50 ms of each CLI's start, more than the rest of
 * tspop. require() shares Node's module cache, so a host importing the same package gets the same instance.
 */
export const requireCjs: NodeJS.Require = createRequire(import.meta.url);
