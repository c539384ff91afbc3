import { pathToFileURL } from 'node:url';
import { withTimeout } from './with-timeout.ts';

/** Imports plugin and conf files. A core service: swap it in `hub.container` to load from elsewhere. */
export interface ModuleLoader {
  /** Imports `path`; `fresh` bypasses the module cache (used by reload). */
  load(path: string, opts?: { fresh?: boolean; timeoutMs?: number }): Promise<Record<string, unknown>>;
}

const REGISTERED = Symbol.for('tspop.tsx.registered');
let generation = 0;

/**
 * Users drop `.ts` files into folders with no build step, so the process needs a TS loader. tsx is registered
 * once per process, lazily, and only when a `.ts` file is actually loaded outside a runtime that already has one.
 */
async function ensureTypeScript(): Promise<void> {
  const g = globalThis as Record<symbol, unknown>;
  if (g[REGISTERED]) return void (await (g[REGISTERED] as Promise<void>));
  g[REGISTERED] = (async () => {
    if (hasTypeScriptLoader()) return;
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  await (g[REGISTERED] as Promise<void>);
}

/** vitest, `node --import tsx`, `tsx script.ts` and Node's own type stripping already load TS: a second loader would double every import's cost. */
function hasTypeScriptLoader(): boolean {
  // not process.env.VITEST alone: child processes a test spawns inherit it but not vitest's module runner
  if ('__vitest_worker__' in globalThis) return true;
  if ((process.features as { typescript?: unknown }).typescript) return true;
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  return /(^|[\s=/])tsx(\/esm|\/cjs)?(\s|$)|--(import|loader|require)[= ]tsx/.test(flags);
}

export class NodeModuleLoader implements ModuleLoader {
  async load(path: string, opts: { fresh?: boolean; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    if (/\.[mc]?ts$/.test(path)) await ensureTypeScript();
    const url = pathToFileURL(path);
    if (opts.fresh) url.searchParams.set('tspop_reload', String(++generation));
    const imported = import(url.href) as Promise<Record<string, unknown>>;
    return opts.timeoutMs ? withTimeout(imported, opts.timeoutMs, `loading ${path}`) : imported;
  }
}
