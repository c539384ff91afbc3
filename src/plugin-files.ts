import { readdirSync, type Dirent } from 'node:fs';
import { join, extname, basename } from 'node:path';

/** File endings a plugin may have; declaration files and tests are never plugins. */
const PLUGIN_EXT = new Set(['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs']);
/** Folders inside a plugin dir that are not subs. */
export const RESERVED_DIRS = new Set(['contracts', 'recursive_contracts', 'node_modules', '__pycache__']);

export interface PluginFile {
  /** Module name: the file name without its ending. */
  readonly name: string;
  readonly path: string;
}

/** Plugin files directly inside `dir`, in name order. A missing dir yields nothing. */
export function listPluginFiles(dir: string): PluginFile[] {
  const out: PluginFile[] = [];
  for (const ent of readDir(dir)) {
    if (!ent.isFile() && !ent.isSymbolicLink()) continue;
    const file = ent.name;
    const ext = extname(file);
    if (!PLUGIN_EXT.has(ext) || isSkipped(file)) continue;
    out.push({ name: basename(file, ext), path: join(dir, file) });
  }
  return out.sort((a, b) => compareNames(a.name, b.name));
}

/** Sub-folders of `dir` that can become nested subs, in name order. */
export function listSubDirs(dir: string): string[] {
  return readDir(dir)
    .filter((e) => e.isDirectory() && !RESERVED_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort(compareNames);
}

function isSkipped(file: string): boolean {
  return (
    file.startsWith('.') ||
    file.startsWith('_') ||
    /\.d\.[mc]?ts$/.test(file) ||
    /\.(test|spec|bench)\.[mc]?[jt]s$/.test(file)
  );
}

function readDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}

/** Name order used everywhere iteration order is promised (code-unit order, like Python's sorted()). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order modules initialise in: the sub's `init` first (pop's sub init), then name order. Closing reverses it. */
export function initOrder(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a === 'init' ? -1 : b === 'init' ? 1 : compareNames(a, b)));
}
