import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { withTimeout } from './with-timeout.ts';
import { requireCjs } from './require-cjs.ts';
import { hasTypeScriptLoader, inVitestWorker, resolveTsLoaderMode, type TsLoaderMode } from './loader/ts-loader-mode.ts';
import type { TsModuleCache } from './loader/ts-module-cache.ts';

/** The file endings the transform handles (resolve-import.ts has the same; this one keeps the loader out of start-up). */
const TS_FILE = /\.(?:[mc]?ts|tsx)$/;
/** What `require()` may load in place of `import()`: ES modules, and `.js` (an ES module in a `"type": "module"` package). */
const REQUIRABLE = /\.m?js$/;
/** require() declining an ES module that import() loads (top-level await, a module still loading): nothing ran yet. */
const REQUIRE_REFUSALS = new Set(['ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_CYCLE_MODULE', 'ERR_REQUIRE_ESM']);

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
 * The default loader. `.js`/`.mjs`/`.cjs` files are loaded natively (ES modules by require() where Node can, see
 * canRequireEsm). `.ts`/`.mts`/`.cts`/`.tsx` files are compiled once into a content-addressed cache and that copy
 * is loaded natively (no process-wide loader hooks, so every other import stays at Node's own speed), or imported
 * directly where the process already loads TS.
 */
export class NodeModuleLoader implements ModuleLoader {
  private readonly mode: 'transform' | 'native';
  private readonly root: string;
  private readonly cacheDir: string | undefined;
  private readonly requireEsm: boolean;
  /** Made on the first `.ts` file: a process that loads only `.js` never imports the transform machinery. */
  private cache: Promise<TsModuleCache> | undefined;

  constructor(options: NodeModuleLoaderOptions = {}) {
    this.mode = resolveTsLoaderMode(options.ts);
    this.root = options.root ?? process.cwd();
    this.cacheDir = options.cacheDir;
    this.requireEsm = canRequireEsm();
  }

  private tsCache(): Promise<TsModuleCache> {
    this.cache ??= import('./loader/ts-module-cache.ts').then((m) => new m.TsModuleCache({ root: this.root, cacheDir: this.cacheDir }));
    return this.cache;
  }

  async load(path: string, opts: { fresh?: boolean; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    const imported = this.import(path, opts.fresh === true);
    return opts.timeoutMs ? withTimeout(imported, opts.timeoutMs, `loading ${path}`) : imported;
  }

  private async import(path: string, fresh: boolean): Promise<Record<string, unknown>> {
    let file = path;
    // a reload compiles even where the process loads TS itself (tsx): its hooks cache the files a plugin imports,
    // so a fresh import of the plugin alone would run with the old helpers
    if ((this.mode === 'transform' || fresh) && TS_FILE.test(path)) {
      // stack traces and errors then name the .ts file and line (the cached copies carry inline source maps)
      if (!sourceMaps) process.setSourceMapsEnabled((sourceMaps = true));
      file = await (await this.tsCache()).modulePath(path, fresh);
    }
    if (file === path) return this.native(file, fresh);
    try {
      return await this.native(file, fresh);
    } catch (err) {
      // a cache copy failed to link or run: name the .ts files, not their copies
      throw (await import('./loader/cache-origins.ts')).errorWithOrigins(err);
    }
  }

  private async native(file: string, fresh: boolean): Promise<Record<string, unknown>> {
    if (!fresh && this.requireEsm && REQUIRABLE.test(file)) {
      const required = requireEsm(file);
      if (required) return required;
    }
    const url = pathToFileURL(file);
    // the cache names change with content; the query re-runs a module whose content did not (pop's reload)
    if (fresh) url.searchParams.set('tspop_reload', String(++generation));
    return (await import(url.href)) as Record<string, unknown>;
  }
}

/**
 * Node >= 20.19 and >= 22.12 `require()` ES modules synchronously, into the same module map `import()` uses
 * (the same instance either way, live bindings and cycles included). For a folder of plugins that is about 0.6x
 * the CPU of `import()`, whose every file goes through several thread-pool round trips and promise jobs:
 * 1000 plain `.js` plugins added in about the time plain Node takes to `import()` them, against 1.6x before
 * (test/bench/loader.bench.ts). Not where loader hooks may be registered (a TS loader such as vitest's or tsx's,
 * `--import`/`--loader` preloads): require() of an ES module does not run `module.register()` hooks, so what
 * a plugin imports would load without them.
 */
function canRequireEsm(): boolean {
  // a host that registers hooks with module.register() at run time, which cannot be seen here, turns it off
  if (process.env.TSPOP_REQUIRE_ESM === '0') return false;
  if ((process.features as { require_module?: boolean }).require_module !== true) return false;
  // vitest's hooks too where this copy of tspop is externalised (hasTypeScriptLoader() is then false)
  if (hasTypeScriptLoader() || inVitestWorker()) return false;
  return !/--(?:import|loader|experimental-loader)\b/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
}

/**
 * `file`'s namespace by require() where this process can load ES modules that way (see canRequireEsm), else
 * undefined and nothing ran: the caller import()s it.
 */
export function requireIfAble(file: string): Record<string, unknown> | undefined {
  return REQUIRABLE.test(file) && canRequireEsm() ? requireEsm(file) : undefined;
}

/**
 * The module's namespace by require(), or undefined where import() must load it: require() declined (nothing
 * ran), or the file is CommonJS, whose namespace (`default` plus the named exports Node finds) only import() makes;
 * it then reuses the instance require() just ran, so the file runs once.
 */
function requireEsm(file: string): Record<string, unknown> | undefined {
  let exports: unknown;
  try {
    exports = requireCjs(file);
  } catch (err) {
    if (REQUIRE_REFUSALS.has((err as NodeJS.ErrnoException)?.code ?? '')) return undefined;
    throw err;
  }
  return types.isModuleNamespaceObject(exports) ? (exports as Record<string, unknown>) : undefined;
}
