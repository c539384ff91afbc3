import { join } from 'node:path';
import { META } from './meta.ts';
import { Sub, subPath } from './sub.ts';
import type { Module } from './module.ts';
import { listPluginFiles, compareNames, initOrder } from './plugin-files.ts';
import { buildModule, stringList, type BuildContext, type ModulePart } from './build-module.ts';
import { createView } from './view.ts';
import { withTimeout } from './with-timeout.ts';
import { oneLineCause } from './one-line-cause.ts';
import { normalizeVirtual } from './virtual-result.ts';
import type { ContractModule, ContractSource } from './contracts.ts';
import type { ResolvedSubOptions } from './sub-options.ts';
import type { ModuleLoader } from './module-loader.ts';
import type { LoadFailure, Logger } from './types.ts';
import type { DependencyContainer } from 'tsyringe';
import {
  TspopError, ModLoadError, ModVirtualError, ModVirtualClashError, ModInitError, ModNotLoadedError,
  ContractLoadError, SubLoadFailedError, type TspopErrorClass,
} from './errors.ts';

/** What loading a sub needs from the hub. */
export interface LoadEnv {
  readonly hub: object;
  readonly log: Logger;
  readonly loader: ModuleLoader;
  readonly container: DependencyContainer;
}

/** Makes an empty sub for `dirs`; `populateSub` fills it. */
export function createSub(name: string, parent: Sub | undefined, dirs: string[], projects: Map<string, string>, options: ResolvedSubOptions): Sub {
  return new Sub({
    name, parent, dirs, projects, options,
    modules: new Map(), subs: new Map(), failures: new Map(), aliases: [], pending: new Map(),
    contracts: { own: new Map(), recursive: new Map() },
  });
}

/**
 * Loads every plugin file of the sub: import (in parallel), `__virtual__`, `__virtualname__` selection,
 * building, then `__init__` (the `init` module first, then name order). Failures are recorded per module and
 * raised with their code when the module is used, or thrown here with `stopOnFailures`.
 * `attach` puts the sub on the hub before any `__init__` runs, so init code can reach its own sub.
 */
export function populateSub(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void, fresh = false): Promise<void> {
  const p = loadSub(env, sub, attach, fresh).finally(() => {
    if (inFlight.get(sub) === p) inFlight.delete(sub);
  });
  inFlight.set(sub, p);
  return p;
}

/**
 * Loads a lazy sub's pending files, once: several `await hub.lazy.x` (or load()) at the same time share the load
 * under way, or __init__ would run once per caller. No-op once loaded.
 */
export function loadPending(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void): Promise<void> {
  const running = inFlight.get(sub);
  if (running) return running;
  return sub[META].pending.size > 0 ? populateSub(env, sub, attach, false) : Promise.resolve();
}

/** Loads under way, per sub. */
const inFlight = new WeakMap<Sub, Promise<void>>();
/** Lazy placeholders, so loading removes exactly those (a nested sub may have taken one's name). */
const placeholders = new WeakSet<object>();

async function loadSub(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void, fresh: boolean, initOnly = false): Promise<void> {
  const meta = sub[META];
  const opts = meta.options;
  const groups = groupFiles(meta.dirs);
  if (!initOnly) meta.contracts = await loadContracts(env, meta.dirs, opts.contractsDirs, fresh, opts.loadTimeoutMs);
  if (opts.lazy && !fresh && !initOnly && meta.pending.size === 0 && meta.modules.size === 0) {
    for (const [name, paths] of groups) meta.pending.set(name, paths);
    for (const name of meta.pending.keys()) definePlaceholder(env, sub, name, attach);
    attach(sub);
    // as in pop, a lazy sub still loads its init module (and runs its __init__) when it is added
    if (meta.pending.has('init')) await loadSub(env, sub, attach, false, true);
    return;
  }
  // what this round loads: the init module alone, what a lazy sub still has pending, or everything
  const selected = initOnly ? ['init'] : meta.pending.size > 0 ? [...meta.pending.keys()] : [...groups.keys()];
  for (const name of selected) {
    const own = Object.getOwnPropertyDescriptor(sub, name);
    if (own && placeholders.has(own.value as object)) delete (sub as unknown as Record<string, unknown>)[name];
    meta.pending.delete(name);
  }
  const ctx: BuildContext = {
    hub: env.hub, sub, subRef: subPath(sub), options: opts, log: env.log, container: env.container,
    ancestors: ancestorContracts(sub),
  };

  const imported = await Promise.all(
    selected
      .filter((name) => groups.has(name))
      .map(async (name) => ({ name, parts: await importGroup(env, groups.get(name) as string[], fresh, opts.loadTimeoutMs) })),
  );

  const byFinalName = new Map<string, Array<{ parts: ModulePart[]; virtualName?: string }>>();
  const virtualView = createView(env.hub, undefined, sub);
  for (const { name, parts } of imported) {
    if (parts instanceof Error) {
      recordFailure(sub, name, (parts as TspopError & { path: string }).path ?? '', parts as TspopError);
      continue;
    }
    const virtualName = firstString(parts, '__virtualname__');
    const finalName = virtualName ?? name;
    const verdict = opts.virtual ? await checkVirtual(parts, virtualView, opts.loadTimeoutMs) : undefined;
    const list = byFinalName.get(finalName) ?? [];
    if (verdict) {
      recordFailure(sub, finalName, verdict.path, new ModVirtualError(`${ctx.subRef}.${finalName} is not available: ${verdict.reason} (${verdict.path})`));
      byFinalName.set(finalName, list);
      continue;
    }
    list.push({ parts, virtualName });
    byFinalName.set(finalName, list);
  }

  for (const name of [...byFinalName.keys()].sort(compareNames)) {
    const candidates = byFinalName.get(name) ?? [];
    if (candidates.length === 0) continue; // every candidate failed __virtual__: already recorded
    if (candidates.length > 1) {
      const paths = candidates.map((c) => c.parts.map((p) => p.path).join('+'));
      recordFailure(sub, name, paths[0] as string, new ModVirtualClashError(
        `${ctx.subRef}.${name}: ${candidates.length} plugins claim this name and pass __virtual__: ${paths.join(', ')}; make their __virtual__ exclusive`,
      ));
      continue;
    }
    const winner = candidates[0] as { parts: ModulePart[]; virtualName?: string };
    meta.failures.delete(name); // another candidate of this virtualname failed, this one loaded
    try {
      const mod = buildModule(ctx, name, winner.parts, winner.virtualName);
      meta.modules.set(name, mod);
      Object.defineProperty(sub, name, { value: mod, enumerable: true, writable: true, configurable: true });
    } catch (err) {
      recordFailure(sub, name, winner.parts[0]?.path ?? '', TspopError.is(err) ? err : new ModLoadError(`${ctx.subRef}.${name}: ${(err as Error).message}`, { cause: err }));
    }
  }

  const initParts = imported.find((i) => i.name === 'init')?.parts;
  if (meta.modules.has('init') && Array.isArray(initParts)) {
    meta.aliases = initParts.flatMap((p) => stringList(p.exports.__sub_alias__, '__sub_alias__', p.path));
  }
  attach(sub);
  if (opts.init) await runInits(env, sub, imported);
  if (opts.stopOnFailures && meta.failures.size > 0) {
    const list = [...meta.failures.values()];
    throw new SubLoadFailedError(
      `sub ${ctx.subRef} has ${list.length} failed module(s): ${list.map((f) => `${f.module} (${f.code}: ${f.message})`).join('; ')}`,
      { cause: list[0]?.cause },
    );
  }
}

function groupFiles(dirs: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const f of listPluginFiles(dir)) {
      const list = groups.get(f.name) ?? [];
      list.push(f.path);
      groups.set(f.name, list);
    }
  }
  return groups;
}

async function importGroup(env: LoadEnv, paths: string[], fresh: boolean, timeoutMs: number): Promise<ModulePart[] | Error> {
  const parts: ModulePart[] = [];
  for (const path of paths) {
    try {
      parts.push({ path, exports: await env.loader.load(path, { fresh, timeoutMs }) });
    } catch (cause) {
      const err = new ModLoadError(`cannot load plugin ${path}: ${oneLineCause(cause)}`, { cause });
      return Object.assign(err, { path });
    }
  }
  return parts;
}

async function checkVirtual(parts: ModulePart[], view: object, timeoutMs: number): Promise<{ path: string; reason: string } | undefined> {
  for (const part of parts) {
    const fn = part.exports.__virtual__;
    if (fn === undefined) continue;
    if (typeof fn !== 'function') return { path: part.path, reason: '__virtual__ must be a function' };
    try {
      const verdict = normalizeVirtual(await withTimeout(Promise.resolve((fn as (h: object) => unknown)(view)), timeoutMs, `${part.path} __virtual__`));
      if (!verdict.ok) return { path: part.path, reason: verdict.reason };
    } catch (err) {
      return { path: part.path, reason: `__virtual__ threw: ${(err as Error)?.message ?? String(err)}` };
    }
  }
  return undefined;
}

async function runInits(env: LoadEnv, sub: Sub, imported: Array<{ name: string; parts: ModulePart[] | Error }>): Promise<void> {
  const meta = sub[META];
  const names = initOrder(meta.modules.keys());
  // one lookup table, not a scan of every part per module: a scan made adding 1000 plugins quadratic (~125 ms)
  const partByPath = new Map(imported.flatMap((i) => (i.parts instanceof Error ? [] : i.parts)).map((p) => [p.path, p]));
  for (const name of names) {
    const mod = meta.modules.get(name) as Module;
    for (const path of mod[META].paths) {
      const part = partByPath.get(path);
      const init = part?.exports.__init__;
      if (typeof init !== 'function') continue;
      try {
        await withTimeout(Promise.resolve((init as (h: object) => unknown)(createView(env.hub, mod, sub))), meta.options.loadTimeoutMs, `${path} __init__`);
      } catch (cause) {
        meta.modules.delete(name);
        recordFailure(sub, name, path, new ModInitError(`${subPath(sub)}.${name}: __init__ failed in ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause }));
        break;
      }
    }
  }
}

/** A failed module stays visible by name: using it throws the recorded error (a fresh instance each time). */
export function recordFailure(sub: Sub, name: string, path: string, err: TspopError): void {
  const failure: LoadFailure = { sub: subPath(sub), module: name, path, code: err.code, message: err.message, cause: err.cause };
  sub[META].failures.set(name, failure);
  sub[META].modules.delete(name);
  const cls = err.constructor as TspopErrorClass;
  Object.defineProperty(sub, name, {
    configurable: true,
    enumerable: false,
    get() {
      throw new cls(failure.message, { cause: failure.cause });
    },
  });
}

/** Lazy subs show their modules by file name; awaiting one (or `hub.pop.sub.load(sub)`) loads the whole sub. */
function definePlaceholder(env: LoadEnv, sub: Sub, name: string, attach: (sub: Sub) => void): void {
  const ref = `${subPath(sub)}.${name}`;
  const load = () => loadPending(env, sub, attach).then(() => {
    const value = (sub as unknown as Record<string, unknown>)[name];
    return value;
  });
  const placeholder = new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === 'then') return (res: (v: unknown) => void, rej: (e: unknown) => void) => load().then(res, rej);
        if (prop === 'name') return name;
        if (typeof prop === 'symbol') return undefined;
        throw new ModNotLoadedError(`${ref} is not loaded yet (lazy sub): await hub.pop.sub.load(hub.${subPath(sub)}) or await hub.${ref} first`);
      },
    },
  );
  placeholders.add(placeholder);
  Object.defineProperty(sub, name, { value: placeholder, configurable: true, enumerable: false, writable: true });
}

async function loadContracts(env: LoadEnv, dirs: readonly string[], extra: readonly string[], fresh: boolean, timeoutMs: number): Promise<ContractSource> {
  const own = await loadContractDirs(env, [...dirs.map((d) => join(d, 'contracts')), ...extra], fresh, timeoutMs);
  const recursive = await loadContractDirs(env, dirs.map((d) => join(d, 'recursive_contracts')), fresh, timeoutMs);
  return { own, recursive };
}

async function loadContractDirs(env: LoadEnv, dirs: string[], fresh: boolean, timeoutMs: number): Promise<Map<string, ContractModule[]>> {
  const out = new Map<string, ContractModule[]>();
  const files = dirs.flatMap((d) => listPluginFiles(d));
  const loaded = await Promise.all(
    files.map(async (f) => {
      try {
        return { name: f.name, path: f.path, exports: await env.loader.load(f.path, { fresh, timeoutMs }) };
      } catch (cause) {
        throw new ContractLoadError(`cannot load contract ${f.path}: ${oneLineCause(cause)}`, { cause });
      }
    }),
  );
  for (const c of loaded) out.set(c.name, [...(out.get(c.name) ?? []), c]);
  return out;
}

function ancestorContracts(sub: Sub): ContractSource[] {
  const out: ContractSource[] = [];
  for (let s = sub[META].parent; s; s = s[META].parent) out.unshift(s[META].contracts);
  return out;
}

function firstString(parts: ModulePart[], key: string): string | undefined {
  for (const p of parts) if (typeof p.exports[key] === 'string') return p.exports[key] as string;
  return undefined;
}
