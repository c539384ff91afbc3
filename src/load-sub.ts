import { META } from './meta.ts';
import { Sub, subPath } from './sub.ts';
import type { Module } from './module.ts';
import { listPluginFiles, compareNames, initOrder } from './plugin-files.ts';
import { buildModule, stringList, type BuildContext, type ModulePart } from './build-module.ts';
import { createView } from './view.ts';
import { withTimeout } from './with-timeout.ts';
import { describeError } from './describe-error.ts';
import { normalizeVirtual } from './virtual-result.ts';
import type { ContractSource } from './contracts.ts';
import { loadContracts } from './load-contracts.ts';
import { importPlugins, type ImportedGroup } from './import-plugins.ts';
import type { ResolvedSubOptions } from './sub-options.ts';
import type { ModuleLoader } from './module-loader.ts';
import type { LoadFailure, Logger } from './types.ts';
import type { DependencyContainer } from 'tsyringe';
import { TspopError, ModLoadError, ModVirtualError, ModVirtualClashError, ModInitError, ModNotLoadedError, SubLoadFailedError, type TspopErrorClass } from './errors.ts';

/** What loading a sub needs from the hub. */
export interface LoadEnv {
  readonly hub: object;
  readonly log: Logger;
  readonly loader: ModuleLoader;
  /** The hub's container, made on first call: only class plugins need it. */
  readonly container: () => DependencyContainer;
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
 * How a round of loading was asked for, which decides what it selects:
 * - `add`: the sub's first load (a lazy sub only gets placeholders and its `init` module);
 * - `reload`: every file again, imported fresh;
 * - `pending`: what a lazy sub still has pending;
 * - `init`: the `init` module alone (a lazy sub being added, as pop does).
 */
export type LoadMode = 'add' | 'reload' | 'pending' | 'init';

/**
 * Loads the sub's plugin files: import, `__virtual__`/`__virtualname__` selection, building, then `__init__`
 * (the `init` module first, then name order). Failures are recorded per module and raised with their code when
 * the module is used, or thrown here with `stopOnFailures`. `attach` puts the sub on the hub before any
 * `__init__` runs, so init code can reach its own sub.
 */
export function populateSub(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void, mode: 'add' | 'reload' = 'add'): Promise<void> {
  const p = loadSub(env, sub, attach, mode).finally(() => {
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
  if (sub[META].pending.size === 0) return Promise.resolve();
  const p = loadSub(env, sub, attach, 'pending').finally(() => {
    if (inFlight.get(sub) === p) inFlight.delete(sub);
  });
  inFlight.set(sub, p);
  return p;
}

/** Loads under way, per sub. */
const inFlight = new WeakMap<Sub, Promise<void>>();
/** Lazy placeholders, so loading removes exactly those (a nested sub may have taken one's name). */
const placeholders = new WeakSet<object>();

/** One candidate for a module name: a file group that passed `__virtual__`. */
interface Candidate {
  readonly parts: ModulePart[];
  readonly virtualName: string | undefined;
}

/** The flat list of steps a round of loading goes through. */
async function loadSub(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void, mode: LoadMode): Promise<void> {
  const meta = sub[META];
  const groups = groupFiles(meta.dirs);
  const io = { fresh: mode === 'reload', timeoutMs: meta.options.loadTimeoutMs };
  if (mode === 'add' || mode === 'reload') {
    meta.contracts = await loadContracts(env.loader, meta.dirs, meta.options.contractsDirs, io);
  }
  if (mode === 'add' && meta.options.lazy) return addLazily(env, sub, attach, groups);
  const names = selectModules(sub, mode, groups);
  const imported = await importPlugins(env.loader, groups, names, io);
  const candidates = await pickVirtualWinners(env, sub, imported);
  buildModules(env, sub, candidates);
  applySubAliases(sub, imported);
  attach(sub);
  if (meta.options.init) await runInits(env, sub, imported);
  checkFailures(sub);
}

/** A lazy sub shows its modules as placeholders by file name; as in pop, its `init` module still loads now. */
async function addLazily(env: LoadEnv, sub: Sub, attach: (sub: Sub) => void, groups: ReadonlyMap<string, string[]>): Promise<void> {
  const meta = sub[META];
  for (const [name, paths] of groups) meta.pending.set(name, paths);
  for (const name of meta.pending.keys()) definePlaceholder(env, sub, name, attach);
  attach(sub);
  if (meta.pending.has('init')) await loadSub(env, sub, attach, 'init');
}

/** The module names this round loads; their placeholders and pending entries go. */
function selectModules(sub: Sub, mode: LoadMode, groups: ReadonlyMap<string, string[]>): string[] {
  const meta = sub[META];
  const names = mode === 'init' ? ['init'] : mode === 'pending' ? [...meta.pending.keys()] : [...groups.keys()];
  for (const name of names) {
    const own = Object.getOwnPropertyDescriptor(sub, name);
    if (own && placeholders.has(own.value as object)) delete (sub as unknown as Record<string, unknown>)[name];
    meta.pending.delete(name);
  }
  return names;
}

/**
 * Groups the imported files by the name they claim (`__virtualname__`, else their file name) and drops those
 * whose `__virtual__` says no. With `virtual: false` both markers are ignored: modules are named by file.
 */
async function pickVirtualWinners(env: LoadEnv, sub: Sub, imported: readonly ImportedGroup[]): Promise<Map<string, Candidate[]>> {
  const { virtual, loadTimeoutMs } = sub[META].options;
  const byName = new Map<string, Candidate[]>();
  const view = createView(env.hub, undefined, sub);
  for (const group of imported) {
    if ('error' in group) {
      recordFailure(sub, group.name, group.path, group.error);
      continue;
    }
    const virtualName = virtual ? firstString(group.parts, '__virtualname__') : undefined;
    const name = virtualName ?? group.name;
    const list = byName.get(name) ?? [];
    byName.set(name, list);
    const verdict = virtual ? await checkVirtual(group.parts, view, loadTimeoutMs) : undefined;
    if (verdict) {
      recordFailure(sub, name, verdict.path, new ModVirtualError(`${subPath(sub)}.${name} is not available: ${verdict.reason} (${verdict.path})`));
      continue;
    }
    list.push({ parts: group.parts, virtualName });
  }
  return byName;
}

/** Builds each name's one winner onto the sub; two winners for one name is a clash, recorded as the module's failure. */
function buildModules(env: LoadEnv, sub: Sub, byName: ReadonlyMap<string, Candidate[]>): void {
  const meta = sub[META];
  const ctx: BuildContext = {
    hub: env.hub, sub, subRef: subPath(sub), options: meta.options, log: env.log, container: env.container,
    ancestors: ancestorContracts(sub),
  };
  for (const name of [...byName.keys()].sort(compareNames)) {
    const candidates = byName.get(name) ?? [];
    if (candidates.length === 0) continue; // every candidate failed __virtual__: already recorded
    if (candidates.length > 1) {
      const paths = candidates.map((c) => c.parts.map((p) => p.path).join('+'));
      recordFailure(sub, name, paths[0] as string, new ModVirtualClashError(
        `${ctx.subRef}.${name}: ${candidates.length} plugins claim this name and pass __virtual__: ${paths.join(', ')}; make their __virtual__ exclusive`,
      ));
      continue;
    }
    const winner = candidates[0] as Candidate;
    meta.failures.delete(name); // another candidate of this virtualname failed, this one loaded
    try {
      const mod = buildModule(ctx, name, winner.parts, winner.virtualName);
      meta.modules.set(name, mod);
      Object.defineProperty(sub, name, { value: mod, enumerable: true, writable: true, configurable: true });
    } catch (err) {
      recordFailure(sub, name, winner.parts[0]?.path ?? '', TspopError.is(err) ? err : new ModLoadError(`${ctx.subRef}.${name}: ${describeError(err)}`, { cause: err }));
    }
  }
}

/** The `init` module's `__sub_alias__` names the sub by other names too. */
function applySubAliases(sub: Sub, imported: readonly ImportedGroup[]): void {
  const meta = sub[META];
  const init = imported.find((i) => i.name === 'init');
  if (meta.modules.has('init') && init && 'parts' in init) {
    meta.aliases = init.parts.flatMap((p) => stringList(p.exports.__sub_alias__, '__sub_alias__', p.path));
  }
}

/** With `stopOnFailures`, any failed module fails the whole load (add() then detaches the sub). */
function checkFailures(sub: Sub): void {
  const meta = sub[META];
  if (!meta.options.stopOnFailures || meta.failures.size === 0) return;
  const list = [...meta.failures.values()];
  throw new SubLoadFailedError(
    `sub ${subPath(sub)} has ${list.length} failed module(s): ${list.map((f) => `${f.module} (${f.code}: ${f.message})`).join('; ')}`,
    { cause: list[0]?.cause },
  );
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

async function checkVirtual(parts: ModulePart[], view: object, timeoutMs: number): Promise<{ path: string; reason: string } | undefined> {
  for (const part of parts) {
    const fn = part.exports.__virtual__;
    if (fn === undefined) continue;
    if (typeof fn !== 'function') return { path: part.path, reason: '__virtual__ must be a function' };
    try {
      const verdict = normalizeVirtual(await withTimeout(Promise.resolve((fn as (h: object) => unknown)(view)), timeoutMs, `${part.path} __virtual__`));
      if (!verdict.ok) return { path: part.path, reason: verdict.reason };
    } catch (err) {
      return { path: part.path, reason: `__virtual__ threw: ${describeError(err)}` };
    }
  }
  return undefined;
}

async function runInits(env: LoadEnv, sub: Sub, imported: readonly ImportedGroup[]): Promise<void> {
  const meta = sub[META];
  const names = initOrder(meta.modules.keys());
  // one lookup table, not a scan of every part per module: a scan made adding 1000 plugins quadratic (~125 ms)
  const partByPath = new Map(imported.flatMap((i) => ('parts' in i ? i.parts : [])).map((p) => [p.path, p]));
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
        recordFailure(sub, name, path, new ModInitError(`${subPath(sub)}.${name}: __init__ failed in ${path}: ${describeError(cause)}`, { cause }));
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

function ancestorContracts(sub: Sub): ContractSource[] {
  const out: ContractSource[] = [];
  for (let s = sub[META].parent; s; s = s[META].parent) out.unshift(s[META].contracts);
  return out;
}

function firstString(parts: ModulePart[], key: string): string | undefined {
  for (const p of parts) if (typeof p.exports[key] === 'string') return p.exports[key] as string;
  return undefined;
}
