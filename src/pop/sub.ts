/**
 * hub.pop.sub — add, nest, iterate, reload and remove subs. A plugin like any other: functions take `hub` first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Sub, isSub, subPath } from '../sub.ts';
import { createSub, populateSub, loadPending, type LoadEnv } from '../load-sub.ts';
import { resolveSubOptions, type SubAddOptions } from '../sub-options.ts';
import { listSubDirs, compareNames } from '../plugin-files.ts';
import { realHub, closeSub } from '../real-hub.ts';
import { META, SUBS, ADDED, CLOSED } from '../meta.ts';
import { dyneScannerOf, moduleLoaderOf } from '../core-services.ts';
import type { DyneScanner } from '../dyne-scanner.ts';
import type { Hub, LoadFailure } from '../types.ts';
import { HubClosedError, HubReadonlyError, SubExistsError, SubNoDirsError, SubNotFoundError, SubOptionsError } from '../errors.ts';


/** Adds a sub from a dyne (every project's DYNE folders merged) or from static folders, and loads it. */
export async function add(hub: Hub, options: SubAddOptions): Promise<Sub> {
  const real = realHub(hub);
  if (real[CLOSED]) throw new HubClosedError('cannot add a sub: the hub is closed');
  const o = resolveSubOptions(options, real.root);
  const target = (o.parent ?? real) as unknown as Record<string, unknown>;
  // An add still loading holds its name too, so two concurrent adds of one name cannot both attach.
  const adding = addingFor(target);
  if (isTaken(target, o.subname) || adding.has(o.subname)) {
    const where = o.parent ? subPath(o.parent) : 'the hub';
    throw new SubExistsError(`${where} already has "${o.subname}"; use hub.pop.sub.extend() to add folders to a sub`);
  }
  adding.add(o.subname);
  try {
    return await addNew(real, o);
  } finally {
    adding.delete(o.subname);
  }
}

/**
 * True when `name` is the target's own or a member of its class (a sub named `log` or `close` would hide the
 * hub's own), but not when it merely comes from Object.prototype: folders named `constructor` or `toString`
 * are ordinary subs.
 */
function isTaken(target: object, name: string): boolean {
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (name === 'constructor' && o !== target) continue; // every class prototype has one; it is not a member
    if (Object.prototype.hasOwnProperty.call(o, name)) return true;
  }
  return false;
}

const ADDING = new WeakMap<object, Set<string>>();

function addingFor(target: object): Set<string> {
  let set = ADDING.get(target);
  if (!set) ADDING.set(target, (set = new Set()));
  return set;
}

async function addNew(real: ReturnType<typeof realHub>, o: ReturnType<typeof resolveSubOptions>): Promise<Sub> {
  const projects = new Map<string, string>();
  const dirs = [...o.staticDirs];
  if (o.dyneName) {
    for (const d of await scanner(real).dirs(o.dyneName)) {
      // pop silently accepts a DYNE path that does not exist; it is nearly always a typo in conf.ts
      if (!existsSync(d.dir)) real.log.warn(`dyne ${o.dyneName}: project ${d.project} declares folder ${d.dir}, which does not exist`);
      dirs.push(d.dir);
      projects.set(d.dir, d.project);
    }
  }
  if (dirs.length === 0) {
    const known = Object.keys(Object.assign({}, ...(await scanner(real).projects()).map((p) => p.conf.DYNE))).sort();
    throw new SubNoDirsError(`no project declares dyne "${o.dyneName}" in its conf DYNE (known dynes: ${known.join(', ') || 'none'})${await brokenConfs(real)}`);
  }
  const sub = createSub(o.subname, o.parent, dirs, projects, o);
  try {
    await populateSub(env(real), sub, (s) => attach(real, s));
  } catch (err) {
    // all or nothing: a failed add leaves no half-loaded sub behind, so fixing the plugin and adding again works
    await closeSub(sub, real.log);
    detach(real, sub);
    throw err;
  }
  return sub;
}

/** Turns each sub-folder of the sub's folders into a nested sub, in name order; `recurse` goes all the way down. */
export async function loadSubdirs(hub: Hub, sub: Sub, options: { recurse?: boolean } = {}): Promise<void> {
  if (!isSub(sub)) throw new SubNotFoundError('hub.pop.sub.loadSubdirs expects a sub');
  const meta = sub[META];
  const names = [...new Set(meta.dirs.flatMap((d) => listSubDirs(d)))].sort(compareNames);
  for (const name of names) {
    let child = meta.subs.get(name);
    if (!child) {
      if (meta.modules.has(name) || meta.failures.has(name) || meta.pending.has(name)) {
        hub.log.warn(`folder ${name}/ in ${subPath(sub)} is hidden by the module of the same name`);
        continue;
      }
      const dirs = meta.dirs.map((d) => join(d, name)).filter((d) => existsSync(d));
      const o = meta.options;
      child = await add(hub, {
        staticDir: dirs, subname: name, sub, virtual: o.virtual, omitStart: o.omitStart, omitEnd: o.omitEnd,
        omitFunc: o.omitFunc, init: o.init, stopOnFailures: o.stopOnFailures, lazy: o.lazy, loadTimeoutMs: o.loadTimeoutMs,
      });
      for (const d of dirs) {
        const parentDir = d.slice(0, -name.length - 1);
        const project = meta.projects.get(parentDir);
        if (project) child[META].projects.set(d, project);
      }
    }
    if (options.recurse) await loadSubdirs(hub, child, options);
  }
}

/** Nested subs of `sub` (or the hub's top-level subs) in name order; `recurse` walks depth-first. */
export function* iterSubs(hub: Hub, sub?: Sub, options: { recurse?: boolean } = {}): Generator<Sub> {
  if (sub !== undefined && !isSub(sub)) throw new SubNotFoundError('hub.pop.sub.iterSubs expects a sub (or undefined for the top level)');
  const children = sub ? [...new Set(sub[META].subs.values())] : [...realHub(hub)].filter((s) => s[META].name !== 'pop');
  for (const child of children.sort((a, b) => compareNames(a[META].name, b[META].name))) {
    yield child;
    if (options.recurse) yield* iterSubs(hub, child, options);
  }
}

/** Loads a lazy sub's modules now. */
export async function load(hub: Hub, sub: Sub | string): Promise<void> {
  const real = realHub(hub);
  await loadPending(env(real), findSub(real, sub), (s) => attach(real, s));
}

/** Detaches a sub (after running its modules' `__close__` hooks). */
export async function remove(hub: Hub, sub: Sub | string): Promise<void> {
  const real = realHub(hub);
  const s = findSub(real, sub);
  for (const child of [...iterSubs(hub, s, { recurse: true })].reverse()) await closeSub(child, real.log);
  await closeSub(s, real.log);
  detach(real, s);
}

/** Re-reads the sub's folders (new files appear, edited files are re-imported) and rebuilds it in place. */
export async function reload(hub: Hub, sub: Sub | string): Promise<Sub> {
  const real = realHub(hub);
  const s = findSub(real, sub);
  const meta = s[META];
  await closeSub(s, real.log); // the modules' __init__ runs again below: release what the old ones hold
  for (const name of [...meta.modules.keys(), ...meta.failures.keys(), ...meta.pending.keys()]) {
    delete (s as unknown as Record<string, unknown>)[name];
  }
  meta.modules.clear();
  meta.failures.clear();
  meta.pending.clear();
  await populateSub(env(real), s, () => undefined, 'reload');
  return s;
}

/** Adds folders (or another dyne's folders) to an existing sub, then reloads it. */
export async function extend(hub: Hub, sub: Sub | string, options: { staticDir?: string | readonly string[]; dyneName?: string }): Promise<Sub> {
  const real = realHub(hub);
  const s = findSub(real, sub);
  const o = resolveSubOptions({ ...options, subname: s[META].name }, real.root);
  const dyneDirs = o.dyneName ? await scanner(real).dirs(o.dyneName) : [];
  if (o.dyneName && dyneDirs.length === 0) throw new SubNoDirsError(`no project declares dyne "${o.dyneName}" in its conf DYNE${await brokenConfs(real)}`);
  s[META].dirs.push(...o.staticDirs);
  for (const d of dyneDirs) {
    s[META].dirs.push(d.dir);
    s[META].projects.set(d.dir, d.project);
  }
  return reload(hub, s);
}

/** The folders merged into a sub, in merge order. */
export function getDirs(_hub: Hub, sub: Sub): string[] {
  if (!isSub(sub)) throw new SubNotFoundError('hub.pop.sub.getDirs expects a sub');
  return [...sub[META].dirs];
}

/** Load failures recorded for the sub's modules (each is raised with its code when the module is used). */
export function failures(_hub: Hub, sub: Sub): LoadFailure[] {
  if (!isSub(sub)) throw new SubNotFoundError('hub.pop.sub.failures expects a sub');
  return [...sub[META].failures.values()];
}

function env(real: ReturnType<typeof realHub>): LoadEnv {
  return { hub: real, log: real.log, loader: moduleLoaderOf(real), container: () => real.container };
}

function scanner(real: ReturnType<typeof realHub>): DyneScanner {
  return dyneScannerOf(real);
}

/** The conf files left out because they failed to load: the dyne is most likely declared in one of them. */
async function brokenConfs(real: ReturnType<typeof realHub>): Promise<string> {
  // broken() reports what the same scanner's projects() found (a hub without a container makes a new one each time)
  const found = scanner(real);
  await found.projects();
  const broken = found.broken?.() ?? [];
  return broken.map((b) => `; ${b.confPath} was not loaded: ${b.error.message}`).join('');
}

function attach(real: ReturnType<typeof realHub>, sub: Sub): void {
  const meta = sub[META];
  const names = [meta.name, ...meta.aliases];
  for (const name of names) {
    if (meta.parent) {
      meta.parent[META].subs.set(name, sub);
      Object.defineProperty(meta.parent, name, { value: sub, enumerable: name === meta.name, writable: true, configurable: true });
    } else {
      real[SUBS].set(name, sub);
      Object.defineProperty(real, name, protectedSub(sub, name, name === meta.name));
    }
  }
  if (!real[ADDED].includes(sub)) real[ADDED].push(sub);
}

/** A sub on the hub: readable like a data property, and assigning over it is a coded error, not a silent swap. */
function protectedSub(sub: Sub, name: string, enumerable: boolean): PropertyDescriptor {
  return {
    get: () => sub,
    set: () => {
      throw new HubReadonlyError(`hub.${name} is a sub and cannot be replaced: use hub.pop.sub.remove() and add() instead`);
    },
    enumerable,
    configurable: true,
  };
}

function detach(real: ReturnType<typeof realHub>, sub: Sub): void {
  const meta = sub[META];
  const owner = (meta.parent ?? real) as unknown as Record<string, unknown>;
  const registry = meta.parent ? meta.parent[META].subs : real[SUBS];
  for (const [name, s] of [...registry]) {
    if (s !== sub) continue;
    registry.delete(name);
    delete owner[name];
  }
  const gone = new Set([sub, ...iterSubsOf(sub)]);
  for (let i = real[ADDED].length - 1; i >= 0; i--) if (gone.has(real[ADDED][i] as Sub)) real[ADDED].splice(i, 1);
}

function iterSubsOf(sub: Sub): Sub[] {
  return [...sub[META].subs.values()].flatMap((s) => [s, ...iterSubsOf(s)]);
}

/** Resolves a sub or dotted name for remove/reload/extend; the core `pop` sub is not theirs to change. */
function findSub(real: ReturnType<typeof realHub>, sub: Sub | string): Sub {
  if (sub === 'pop' || (isSub(sub) && sub === real[SUBS].get('pop'))) throw new SubOptionsError('the pop sub is the hub core and cannot be removed, reloaded or extended');
  if (isSub(sub)) return sub;
  let cur: unknown = real;
  for (const part of String(sub).split('.')) {
    cur = isSub(cur) ? cur[META].subs.get(part) : cur === real ? real[SUBS].get(part) : undefined;
    if (!cur) throw new SubNotFoundError(`no sub named "${sub}" on the hub`);
  }
  return cur as Sub;
}
