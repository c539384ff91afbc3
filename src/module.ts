import { META } from './meta.ts';
import { compareNames } from './plugin-files.ts';
import type { Sub } from './sub.ts';

export interface FunctionRecord {
  /** The plugin's own function, taking `hub` first. */
  readonly raw: (...args: never[]) => unknown;
  /** What the hub exposes: hub injected, contracts applied. */
  readonly exposed: (...args: never[]) => unknown;
  /** File that defined it (the winner when merged). */
  readonly path: string;
  /** Its name in that file: the export (before `__func_alias__`), or the method of a default-exported class. */
  readonly key: string;
  /** `method`: a method of the file's default-exported class plugin, which takes no `hub` argument. */
  readonly kind: 'function' | 'method';
  /** The function as the hub would expose `impl` (a hub-first function): this module's view injected, its contracts around it. */
  readonly wrap: (impl: (...args: never[]) => unknown, contracts: boolean) => (...args: never[]) => unknown;
}

export interface ModuleMeta {
  readonly name: string;
  readonly sub: Sub;
  /** Files merged into this module, in merge order. */
  readonly paths: string[];
  readonly functions: Map<string, FunctionRecord>;
  readonly virtualName: string | undefined;
  /** Exported module variables by name, and the file each came from (the later file when merged). */
  readonly vars: Map<string, string>;
  /** `__close__` hooks of the merged files, called on hub.close(). */
  readonly closeHooks: Array<() => unknown>;
}

/** Names a plugin cannot export because the module object or `await` uses them. */
export const RESERVED_FUNCTION_NAMES = new Set(['name', 'then', 'constructor']);

/**
 * A loaded plugin module: its functions (hub injected) as own properties, plus any state plugins set on it.
 * Iterating yields the functions in name order.
 */
export class Module {
  declare readonly [META]: ModuleMeta;

  constructor(meta: ModuleMeta) {
    Object.defineProperty(this, META, { value: meta, enumerable: false });
  }

  get name(): string {
    return this[META].name;
  }

  *[Symbol.iterator](): IterableIterator<(...args: never[]) => unknown> {
    const fns = this[META].functions;
    for (const name of [...fns.keys()].sort(compareNames)) yield (fns.get(name) as FunctionRecord).exposed;
  }

  get [Symbol.toStringTag](): string {
    return `Module ${this[META].name}`;
  }

  /** String(mod) must not call a plugin function named `toString`. */
  [Symbol.toPrimitive](): string {
    return `[Module ${this[META].name}]`;
  }
}

export function isModule(value: unknown): value is Module {
  return value instanceof Module;
}
