import { pathToFileURL } from 'node:url';
import { withTimeout } from './with-timeout.ts';
import { resolveTsLoaderMode, type TsLoaderMode } from './loader/ts-loader-mode.ts';
import { TsModuleCache } from './loader/ts-module-cache.ts';
import { TS_FILE } from './loader/resolve-import.ts';

/** Imports plugin and conf files. A core service: swap it in `hub.container` to load from elsewhere. */
export interface ModuleLoader {
  /** Imports `path`; `fresh` bypasses the module cache (used by reload). */
  load(path: string, opts?: { fresh?: boolean; timeoutMs?: number }): Promise<Record<string, unknown>>;
}

export interface NodeModuleLoaderOptions {
  /** The host's folder; the transform cache goes in its package's node_modules/.cache/tspop. Default: cwd. */
  root?: string;
  /** How `.ts` files load (default `TSPOP_TS_LOADER`, else `auto`): see TsLoaderMode. */
  ts?: TsLoaderMode;
  /** Folder of the transform cache (default `TSPOP_CACHE_DIR`, else the convention above). */
  cacheDir?: string;
}

let generation = 0;
let sourceMaps = false;

/**
 * The default loader. `.js`/`.mjs`/`.cjs` files are imported natively. `.ts`/`.mts`/`.cts`/`.tsx` files are
 * compiled once into a content-addressed cache and that copy is imported natively (no process-wide loader hooks,
 * so every other import stays at Node's own speed), or imported directly where the process already loads TS.
 */
export class NodeModuleLoader implements ModuleLoader {
  private readonly mode: 'transform' | 'native';
  private readonly cache: TsModuleCache;

  constructor(options: NodeModuleLoaderOptions = {}) {
    this.mode = resolveTsLoaderMode(options.ts);
    this.cache = new TsModuleCache({ root: options.root ?? process.cwd(), cacheDir: options.cacheDir });
  }

  async load(path: string, opts: { fresh?: boolean; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    const imported = this.import(path, opts.fresh === true);
    return opts.timeoutMs ? withTimeout(imported, opts.timeoutMs, `loading ${path}`) : imported;
  }

  private async import(path: string, fresh: boolean): Promise<Record<string, unknown>> {
    let file = path;
    if (this.mode === 'transform' && TS_FILE.test(path)) {
      // stack traces and errors then name the .ts file and line (the cached copies carry inline source maps)
      if (!sourceMaps) process.setSourceMapsEnabled((sourceMaps = true));
      file = await this.cache.modulePath(path);
    }
    const url = pathToFileURL(file);
    // the cache names change with content; the query re-runs a module whose content did not (pop's reload)
    if (fresh) url.searchParams.set('tspop_reload', String(++generation));
    return (await import(url.href)) as Record<string, unknown>;
  }
}
