import { META } from '../meta.ts';
import type { Module } from '../module.ts';
import type { Sub } from '../sub.ts';
import { compareNames } from '../plugin-files.ts';
import { ModVirtualError } from '../errors.ts';

/**
 * Where a hub member's type comes from: an export of a plugin file (`function` takes `hub` first, `method` is a
 * method of the file's default-exported class, `value` is module state), or nothing the type system can read
 * (`state` a plugin set at run time, e.g. in `__init__`), which is typed `unknown`.
 */
export type TypedSource =
  | { readonly kind: 'function' | 'method' | 'value'; readonly file: string; readonly key: string }
  | { readonly kind: 'state' };

export interface TypedMember {
  /** The name on the hub (after `__func_alias__`). */
  readonly name: string;
  readonly source: TypedSource;
}

export interface TypedModule {
  /** The name on the hub (the `__virtualname__` winner's, or the file's). */
  readonly name: string;
  readonly members: readonly TypedMember[];
}

export interface TypedSub {
  readonly name: string;
  /** Names from the hub down to this sub, e.g. `['evbus', 'match']`. */
  readonly path: readonly string[];
  /** `__sub_alias__` names, each the same sub. */
  readonly aliases: readonly string[];
  readonly modules: readonly TypedModule[];
  /** Sub-level state that plugins set (`hub.greet.CALLS = 0` in `__init__`); typed `unknown`. */
  readonly state: readonly string[];
  readonly subs: readonly TypedSub[];
  /** Modules whose `__virtual__` refused to load here: not on this hub, so not typed. */
  readonly refused: readonly ModuleProblem[];
  /** Modules that failed to load for any other reason. */
  readonly failed: readonly ModuleProblem[];
}

export interface ModuleProblem {
  /** Dotted reference from the hub, e.g. `greet.win`. */
  readonly ref: string;
  readonly code: string;
  readonly message: string;
}

/** What `tspop types` needs to know about a loaded sub and everything below it, in name order. */
export function describeHubTypes(sub: Sub, path: readonly string[] = [sub[META].name]): TypedSub {
  const meta = sub[META];
  const problems = [...meta.failures.values()].map((f) => ({ ref: `${path.join('.')}.${f.module}`, code: f.code, message: f.message }));
  const children = [...new Set(meta.subs.values())].sort((a, b) => compareNames(a[META].name, b[META].name));
  return {
    name: meta.name,
    path,
    aliases: [...meta.aliases].sort(compareNames),
    modules: [...sub].map(describeModule),
    state: Object.keys(sub).filter((k) => !meta.modules.has(k) && !meta.subs.has(k)).sort(compareNames),
    subs: children.map((child) => describeHubTypes(child, [...path, child[META].name])),
    refused: problems.filter((p) => p.code === ModVirtualError.code).sort((a, b) => compareNames(a.ref, b.ref)),
    failed: problems.filter((p) => p.code !== ModVirtualError.code).sort((a, b) => compareNames(a.ref, b.ref)),
  };
}

function describeModule(mod: Module): TypedModule {
  const m = mod[META];
  const members: TypedMember[] = Object.keys(mod).map((name) => {
    const fn = m.functions.get(name);
    if (fn) return { name, source: { kind: fn.kind, file: fn.path, key: fn.key } };
    const file = m.vars.get(name);
    return { name, source: file === undefined ? { kind: 'state' } : { kind: 'value', file, key: name } };
  });
  return { name: m.name, members: members.sort((a, b) => compareNames(a.name, b.name)) };
}

/** The refused or failed modules of `sub` and every sub below it. */
export function moduleProblems(sub: TypedSub, which: 'refused' | 'failed'): ModuleProblem[] {
  return [...sub[which], ...sub.subs.flatMap((child) => moduleProblems(child, which))];
}
