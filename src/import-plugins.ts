import type { ModuleLoader } from './module-loader.ts';
import type { ModulePart } from './build-module.ts';
import { withTimeout } from './with-timeout.ts';
import { describeError } from './describe-error.ts';
import { ModLoadError, type TspopError } from './errors.ts';

/**
 * Imports at most this many files at once. Each file's load timeout starts when its own import starts, so a
 * folder of thousands of plugins is not failed for the time the others took (loadTimeoutMs is per file).
 */
const CONCURRENCY = 32;

/** One module's files, imported, or the error of the first that failed (with its path). */
export type ImportedGroup = { readonly name: string; readonly parts: ModulePart[] } | { readonly name: string; readonly error: TspopError; readonly path: string };

/** Imports each named group of files (several projects' files merge into one module), `CONCURRENCY` files at a time. */
export async function importPlugins(
  loader: ModuleLoader,
  groups: ReadonlyMap<string, readonly string[]>,
  names: readonly string[],
  opts: { fresh: boolean; timeoutMs: number },
): Promise<ImportedGroup[]> {
  const jobs = names.filter((n) => groups.has(n)).map((name) => ({ name, paths: groups.get(name) as readonly string[] }));
  const out = new Array<ImportedGroup>(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) out[i] = await importGroup(loader, jobs[i]!.name, jobs[i]!.paths, opts);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  return out;
}

/** Imports one file with its own timeout. */
export function importOne(loader: ModuleLoader, path: string, opts: { fresh: boolean; timeoutMs: number }): Promise<Record<string, unknown>> {
  return withTimeout(loader.load(path, { fresh: opts.fresh }), opts.timeoutMs, `loading ${path}`);
}

async function importGroup(loader: ModuleLoader, name: string, paths: readonly string[], opts: { fresh: boolean; timeoutMs: number }): Promise<ImportedGroup> {
  const parts: ModulePart[] = [];
  for (const path of paths) {
    try {
      parts.push({ path, exports: await importOne(loader, path, opts) });
    } catch (cause) {
      return { name, path, error: new ModLoadError(`cannot load plugin ${path}: ${describeError(cause)}`, { cause }) };
    }
  }
  return { name, parts };
}
