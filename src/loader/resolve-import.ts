import { statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where an import written in a TS file leads: another TS file to compile, a URL to import as it is, or nothing to change. */
export type ImportTarget =
  | { readonly kind: 'ts'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'keep' };

/** Files the transforming loader compiles. */
export const TS_FILE = /\.(?:[mc]?ts|tsx)$/;

const KEEP: ImportTarget = { kind: 'keep' };

/** What one batch of loads has already looked up: files are stat'ed and packages resolved once per batch. */
export interface ResolveMemo {
  readonly isFile: Map<string, boolean>;
  readonly packages: Map<string, ImportTarget | Error>;
}

/**
 * Resolves `specifier` as Node would from the ORIGINAL file, so the compiled copy in the cache imports what the
 * source meant: relative imports the TypeScript way (`./b.js` is `b.ts` when that exists, extensionless and
 * folder-index imports as tsx allows them), bare and `#` imports with Node's ESM resolver from the original
 * file's folder (its package's node_modules, exports, imports, conditions). An unresolvable static import
 * throws Node's ERR_MODULE_NOT_FOUND naming the original file; a dynamic one is left to fail (or be caught) when it runs.
 */
export async function resolveImport(specifier: string, parentPath: string, dynamic: boolean, memo: ResolveMemo): Promise<ImportTarget> {
  if (isBuiltin(specifier)) return KEEP;
  if (/^[a-z][a-z\d+.-]*:/i.test(specifier)) {
    if (!specifier.startsWith('file:')) return KEEP; // data:, node:, http: ...
    const path = fileURLToPath(specifier);
    return TS_FILE.test(path) ? { kind: 'ts', path } : KEEP;
  }
  if (/^\.{0,2}\//.test(specifier) || specifier === '.' || specifier === '..') {
    const url = new URL(specifier, pathToFileURL(parentPath));
    const found = relativeFile(fileURLToPath(url), memo);
    if (found === undefined) {
      if (dynamic) return { kind: 'url', url: url.href };
      throw notFound(`Cannot find module '${fileURLToPath(url)}' imported from ${parentPath}`);
    }
    if (TS_FILE.test(found)) return { kind: 'ts', path: found };
    return { kind: 'url', url: pathToFileURL(found).href + url.search + url.hash };
  }
  return resolvePackage(specifier, parentPath, dynamic, memo);
}

/** TypeScript's order: the TS file a `.js` specifier stands for first, then the file itself, then added endings. */
function relativeFile(path: string, memo: ResolveMemo): string | undefined {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  const candidates =
    ext === '.js' ? [`${stem}.ts`, `${stem}.tsx`, path]
      : ext === '.jsx' ? [`${stem}.tsx`, path]
        : ext === '.mjs' ? [`${stem}.mts`, path]
          : ext === '.cjs' ? [`${stem}.cts`, path]
            : [path, ...['.ts', '.tsx', '.mts', '.js', '.mjs', '.cts', '.cjs', '.json'].map((e) => `${path}${e}`),
              ...['index.ts', 'index.tsx', 'index.js', 'index.mjs'].map((f) => `${path}/${f}`)];
  return candidates.find((c) => isFile(c, memo));
}

function isFile(path: string, memo: ResolveMemo): boolean {
  let known = memo.isFile.get(path);
  if (known === undefined) {
    known = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
    memo.isFile.set(path, known);
  }
  return known;
}

type ModuleResolve = typeof import('import-meta-resolve').moduleResolve;
let moduleResolve: Promise<ModuleResolve> | undefined;

async function resolvePackage(specifier: string, parentPath: string, dynamic: boolean, memo: ResolveMemo): Promise<ImportTarget> {
  // resolution depends on the folder only (its package scope and node_modules chain), not on the file
  const key = `${parentPath.slice(0, parentPath.lastIndexOf('/') + 1)}\0${specifier}`;
  let found = memo.packages.get(key);
  if (found === undefined) {
    const resolve = await (moduleResolve ??= import('import-meta-resolve').then((m) => m.moduleResolve));
    try {
      const url = resolve(specifier, pathToFileURL(parentPath), conditions(), process.execArgv.includes('--preserve-symlinks'));
      found = url.protocol === 'file:' && TS_FILE.test(url.pathname) ? { kind: 'ts', path: fileURLToPath(url) } : { kind: 'url', url: url.href };
    } catch (err) {
      found = err as Error;
    }
    memo.packages.set(key, found);
  }
  if (!(found instanceof Error)) return found;
  if (dynamic) return KEEP;
  throw Object.assign(new Error(`${found.message.replace(/ imported from .*$/s, '')} imported from ${parentPath}`, { cause: found }), {
    code: (found as NodeJS.ErrnoException).code,
  });
}

function notFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });
}

let conditionSet: Set<string> | undefined;

/** Node's default ESM conditions plus the process's own `--conditions`/`-C`. */
function conditions(): Set<string> {
  if (conditionSet) return conditionSet;
  conditionSet = new Set(['node', 'import']);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  args.forEach((arg, i) => {
    const m = /^(?:--conditions|-C)(?:=(.+))?$/.exec(arg);
    const value = m ? (m[1] ?? args[i + 1]) : undefined;
    if (value) conditionSet?.add(value);
  });
  return conditionSet;
}
