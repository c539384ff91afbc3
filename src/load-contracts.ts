import { join } from 'node:path';
import type { ModuleLoader } from './module-loader.ts';
import type { ContractModule, ContractSource } from './contracts.ts';
import { listPluginFiles } from './plugin-files.ts';
import { importOne } from './import-plugins.ts';
import { describeError } from './describe-error.ts';
import { ContractLoadError } from './errors.ts';

/** A sub's contract files: `contracts/` (and any extra contract folders) for its own modules, `recursive_contracts/` for nested subs too. */
export async function loadContracts(
  loader: ModuleLoader,
  dirs: readonly string[],
  extra: readonly string[],
  opts: { fresh: boolean; timeoutMs: number },
): Promise<ContractSource> {
  const own = await loadContractDirs(loader, [...dirs.map((d) => join(d, 'contracts')), ...extra], opts);
  const recursive = await loadContractDirs(loader, dirs.map((d) => join(d, 'recursive_contracts')), opts);
  return { own, recursive };
}

/** Contract files by the module name they apply to: their `__virtualname__` when they set one (as pop), else their file name. */
async function loadContractDirs(loader: ModuleLoader, dirs: readonly string[], opts: { fresh: boolean; timeoutMs: number }): Promise<Map<string, ContractModule[]>> {
  const out = new Map<string, ContractModule[]>();
  const files = dirs.flatMap((d) => listPluginFiles(d));
  const loaded = await Promise.all(
    files.map(async (f) => {
      try {
        const exports = await importOne(loader, f.path, opts);
        const virtualName = exports.__virtualname__;
        return { name: typeof virtualName === 'string' && virtualName !== '' ? virtualName : f.name, path: f.path, exports };
      } catch (cause) {
        throw new ContractLoadError(`cannot load contract ${f.path}: ${describeError(cause)}`, { cause });
      }
    }),
  );
  for (const c of loaded) out.set(c.name, [...(out.get(c.name) ?? []), c]);
  return out;
}
