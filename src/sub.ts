import { META } from './meta.ts';
import { compareNames } from './plugin-files.ts';
import { SubNotFoundError } from './errors.ts';
import type { LoadFailure } from './types.ts';
import type { Module } from './module.ts';
import type { ResolvedSubOptions } from './sub-options.ts';
import type { ContractSource } from './contracts.ts';

export interface SubMeta {
  name: string;
  parent: Sub | undefined;
  /** Plugin folders merged into this sub, in merge order (later wins). */
  dirs: string[];
  /** Which project each dir came from (dyne subs), for clash reports. */
  projects: Map<string, string>;
  options: ResolvedSubOptions;
  modules: Map<string, Module>;
  subs: Map<string, Sub>;
  failures: Map<string, LoadFailure>;
  aliases: string[];
  contracts: ContractSource;
  /** Files found but not imported yet (`lazy: true`). */
  pending: Map<string, string[]>;
}

/**
 * A sub: a folder (or several merged folders) of plugin modules. Modules, nested subs and plugin-held state are
 * plain properties (`hub.acct.PROFILES`); bookkeeping lives behind a symbol.
 */
export class Sub {
  declare readonly [META]: SubMeta;

  constructor(meta: SubMeta) {
    Object.defineProperty(this, META, { value: meta, enumerable: false });
  }

  /** Modules in name order, as pop iterates a sub. */
  *[Symbol.iterator](): IterableIterator<Module> {
    const mods = this[META].modules;
    for (const name of [...mods.keys()].sort(compareNames)) yield mods.get(name) as Module;
  }

  /** The sub's name (a module file named `name` shadows this, as module names win on a sub). */
  get name(): string {
    return this[META].name;
  }

  get [Symbol.toStringTag](): string {
    return `Sub ${subPath(this)}`;
  }

  /** String(sub) and template literals must work even when a module is named `toString` or `valueOf`. */
  [Symbol.toPrimitive](): string {
    return `[Sub ${subPath(this)}]`;
  }
}

export function isSub(value: unknown): value is Sub {
  return value instanceof Sub;
}

/** Dotted path of a sub from the hub, e.g. `acct.crypto`. */
export function subPath(sub: Sub): string {
  const parts: string[] = [];
  for (let s: Sub | undefined = sub; s; s = s[META].parent) parts.unshift(s[META].name);
  return parts.join('.');
}

export function assertSub(value: unknown, what: string): Sub {
  if (!isSub(value)) throw new SubNotFoundError(`${what} is not a sub`);
  return value;
}
