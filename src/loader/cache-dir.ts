import { existsSync, mkdirSync, mkdtempSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The cache's folders: `t/` compiled code as the transformer wrote it, `m/` the modules that are imported, `i/` per-folder indexes. */
export interface CacheDir {
  readonly root: string;
  readonly transformed: string;
  readonly modules: string;
  readonly index: string;
}

const known = new Map<string, CacheDir>();

/**
 * Where transformed plugin files go: `dir` (the loader's option) or `TSPOP_CACHE_DIR`, else
 * `node_modules/.cache/tspop` of the package that holds `root` (the convention babel, eslint and ava follow), else
 * a private folder of this user under the temp dir. Resolved and created once per process.
 */
export function cacheDirFor(root: string, dir?: string): CacheDir {
  const explicit = dir ?? (process.env.TSPOP_CACHE_DIR || undefined);
  const key = explicit === undefined ? `root:${root}` : `dir:${resolve(explicit)}`;
  let found = known.get(key);
  if (!found) {
    found = explicit === undefined ? conventionalDir(root) : create(resolve(explicit));
    known.set(key, found);
  }
  return found;
}

function conventionalDir(root: string): CacheDir {
  const pkg = packageRoot(root);
  if (pkg !== undefined && existsSync(join(pkg, 'node_modules'))) {
    try {
      return create(join(pkg, 'node_modules', '.cache', 'tspop'));
    } catch {
      // a read-only install: fall through to the temp dir
    }
  }
  return userTempDir();
}

function packageRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Cached files are code this process will run, so a shared temp dir needs a folder only this user can write:
 * one made by someone else (or open to others) is not used; a fresh private one is made instead, which
 * still works but caches for this process only.
 */
function userTempDir(): CacheDir {
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `tspop-cache-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const private_ = st.isDirectory() && (uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0));
    if (private_) return create(dir);
  } catch {
    // unusable: fall through
  }
  return create(mkdtempSync(join(tmpdir(), 'tspop-cache-')));
}

function create(root: string): CacheDir {
  const found = { root, transformed: join(root, 't'), modules: join(root, 'm'), index: join(root, 'i') };
  mkdirSync(found.transformed, { recursive: true });
  mkdirSync(found.modules, { recursive: true });
  mkdirSync(found.index, { recursive: true });
  return found;
}
