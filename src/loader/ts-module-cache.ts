import { noteOrigin } from './cache-origins.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cacheDirFor, type CacheDir } from './cache-dir.ts';
import { digest } from './digest.ts';
import { esbuildVersion, transformTs, TRANSFORM_TARGET, type TransformInput } from './esbuild-transform.ts';
import { oxcHandles, oxcKey, transformWithOxc } from './oxc-transform.ts';
import { importEdges, withImportMeta } from './import-edges.ts';
import { linkGraph, type GraphNode } from './link-graph.ts';
import { tsconfigOptionsFor, type TsCompilerOptions } from './tsconfig-options.ts';
import type { ResolveMemo } from './resolve-import.ts';
import { writeCacheFile } from './write-cache-file.ts';
import { FolderIndex } from './folder-index.ts';
import { declaredNames, noteDeclaredNames } from '../own-exports.ts';

/** Bump when what this loader writes changes shape, so older cache entries are never read. */
const CACHE_FORMAT = '2';

export interface TsModuleCacheOptions {
  /** The host's folder: the cache goes in node_modules/.cache/tspop of its package. */
  readonly root: string;
  /** Explicit cache folder (else `TSPOP_CACHE_DIR`, else the convention above). */
  readonly cacheDir?: string;
}

/** What one batch of concurrent loads shares: each file is read, compiled and linked once per batch. */
interface Batch {
  readonly nodes: Map<string, Promise<GraphNode>>;
  readonly tsconfig: Map<string, TsCompilerOptions>;
  readonly resolve: ResolveMemo;
  /** per plugin folder, read on its first file and saved when the batch ends */
  readonly indexes: Map<string, FolderIndex>;
  /** a reload is part of this batch: every file is read and hashed, indexes are not trusted */
  fresh: boolean;
}

/**
 * Compiles TS files into a content-addressed cache and answers the path of the module to import in their place.
 *
 * - `t/<H>.js`: the compiled output for a file, H = hash(format, oxc's and esbuild's versions, target, tsconfig options, path,
 *   source). The path is in H because the output embeds it (import.meta values, the source map).
 * - `m/<name>-<F>.mjs`: what is imported. A file with no import to rewrite is its output as is, F = H, found with
 *   one stat on a warm start. Otherwise its imports are rewritten to absolute URLs (TS dependencies to their own
 *   `m/` files, packages to what Node resolves from the original folder) and F hashes H with those URLs, so an edit
 *   of a dependency, or a package that now resolves elsewhere, gives new names up the import chain and `import()`
 *   loads the new code. A cycle is named by one hash over its members.
 */
export class TsModuleCache {
  private readonly options: TsModuleCacheOptions;
  private dir: CacheDir | undefined;
  private batch: Batch | undefined;
  private active = 0;
  private readonly keys = new WeakMap<TsCompilerOptions, string>();
  private readonly optionHashes = new WeakMap<TsCompilerOptions, string>();

  constructor(options: TsModuleCacheOptions) {
    this.options = options;
  }

  /** The cache file to import for the TS file `path`; `fresh` (a reload) reads every file, trusting no index. */
  async modulePath(path: string, fresh = false): Promise<string> {
    this.active++;
    const batch = (this.batch ??= {
      nodes: new Map(), tsconfig: new Map(), resolve: { isFile: new Map(), packages: new Map() }, indexes: new Map(), fresh,
    });
    batch.fresh ||= fresh;
    try {
      const root = await this.node(batch, path);
      // a file whose module is its output as is (most plugins, on a warm start): nothing to collect or link
      if (root.final !== undefined && root.edges.length === 0 && !root.written) return root.final;
      await this.collect(batch, root, new Set([root]));
      return await linkGraph(root, this.cache().modules);
    } finally {
      // the next load after this batch looks at the files again: that is how an edited file is noticed
      if (--this.active === 0) {
        this.batch = undefined;
        for (const index of batch.indexes.values()) index.save();
      }
    }
  }

  private cache(): CacheDir {
    return (this.dir ??= cacheDirFor(this.options.root, this.options.cacheDir));
  }

  private node(batch: Batch, path: string): Promise<GraphNode> {
    let node = batch.nodes.get(path);
    if (!node) {
      node = this.read(batch, path);
      batch.nodes.set(path, node);
    }
    return node;
  }

  /** Every TS file `node` reaches, read; never waits on a file already being read higher up (cycles). */
  private async collect(batch: Batch, node: GraphNode, seen: Set<GraphNode>): Promise<void> {
    await Promise.all(node.edges.map(async (edge) => {
      if (edge.target.kind !== 'ts') return;
      const child = (edge.node ??= await this.node(batch, edge.target.path));
      if (seen.has(child)) return;
      seen.add(child);
      await this.collect(batch, child, seen);
    }));
  }

  private async read(batch: Batch, path: string): Promise<GraphNode> {
    const stats = statSync(path);
    const folder = dirname(path);
    const tsconfig = tsconfigOptionsFor(folder, batch.tsconfig);
    const { modules, transformed, index: indexDir } = this.cache();
    const optionsHash = this.optionsHash(tsconfig);
    let index = batch.indexes.get(folder);
    if (!index) batch.indexes.set(folder, (index = FolderIndex.read(indexDir, folder)));
    const known = batch.fresh ? undefined : index.lookup(path, stats, optionsHash);
    if (known && existsSync(join(modules, known.name))) {
      noteDeclaredNames(path, known.declared);
      noteOrigin(join(modules, known.name), path);
      return { path, hash: known.hash, name: known.name, edges: [], final: join(modules, known.name) };
    }

    const source = readFileSync(path);
    const text = source.toString('utf8');
    const declared = declaredNames(text);
    noteDeclaredNames(path, declared);
    const hash = digest(this.optionsKey(tsconfig), path, source);
    const format = path.endsWith('.cts') ? 'cjs' : 'esm';
    const name = `${safeName(path)}-${hash}${format === 'cjs' ? '.cjs' : '.mjs'}`;
    const standalone = join(modules, name);
    const indexed = { path, hash, name, edges: [], final: standalone, declared: [...declared] };
    noteOrigin(standalone, path);
    if (existsSync(standalone)) {
      index.record(path, stats, optionsHash, indexed);
      return indexed;
    }

    const compiledPath = join(transformed, `${hash}.js`);
    // existsSync, not a failing read: an ENOENT error costs more than the stat on a cold start
    const fresh = !existsSync(compiledPath);
    let code = fresh ? await transform({
      path,
      source: text,
      loader: path.endsWith('.tsx') ? 'tsx' : 'ts',
      format,
      tsconfig,
    }) : readFileSync(compiledPath, 'utf8');
    if (fresh && format === 'cjs') code = withCommonJsPrologue(code, path);
    const { edges, importMeta } = await importEdges(code, path, batch.resolve);
    // esbuild's output is kept as it is in t/; the import.meta prologue goes into what is imported
    if (edges.length === 0) {
      await writeCacheFile(standalone, importMeta ? withImportMeta(code, path) : code);
      index.record(path, stats, optionsHash, indexed);
      return indexed;
    }
    if (fresh) await writeCacheFile(compiledPath, code);
    return { path, hash, name, edges, code, importMeta };
  }

  /** The options key hashed, as indexes keep it. */
  private optionsHash(tsconfig: TsCompilerOptions): string {
    let hash = this.optionHashes.get(tsconfig);
    if (hash === undefined) this.optionHashes.set(tsconfig, (hash = digest(this.optionsKey(tsconfig))));
    return hash;
  }

  private optionsKey(tsconfig: TsCompilerOptions): string {
    let key = this.keys.get(tsconfig);
    if (key === undefined) {
      key = [CACHE_FORMAT, esbuildVersion(), oxcKey(), TRANSFORM_TARGET, JSON.stringify(tsconfig)].join('\0');
      this.keys.set(tsconfig, key);
    }
    return key;
  }
}

/**
 * oxc-transform where it can (ES-module TS, legacy decorators: in this thread, about 30x less time per file than a
 * request to esbuild's service), esbuild for the rest (`.tsx`, `.cts`, standard decorators) and wherever oxc's
 * native binding does not load.
 */
async function transform(input: TransformInput): Promise<string> {
  return (oxcHandles(input) ? await transformWithOxc(input) : undefined) ?? transformTs(input);
}

/** The file's own name in the cache name, for people reading a stack trace or the folder. */
function safeName(path: string): string {
  return basename(path).replace(/\.[^.]*$/, '').replace(/[^\w.-]/g, '_').slice(0, 40);
}

/**
 * A `.cts` file's `require`, `__filename` and `__dirname` are the original file's. Put on the first line (after a
 * "use strict" directive, which must stay first) so every line keeps its number for the source map.
 */
function withCommonJsPrologue(code: string, path: string): string {
  const prologue = `var require = require("node:module").createRequire(${JSON.stringify(path)}), __filename = ${JSON.stringify(path)}, __dirname = ${JSON.stringify(dirname(path))};`;
  const directive = /^(['"])use strict\1;?/.exec(code);
  return directive ? `${directive[0]}${prologue}${code.slice(directive[0].length)}` : `${prologue}${code}`;
}
