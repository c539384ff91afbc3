import type { DependencyContainer } from 'tsyringe';
import { META } from './meta.ts';
import { Module, RESERVED_FUNCTION_NAMES, type FunctionRecord } from './module.ts';
import type { Sub } from './sub.ts';
import type { Logger } from './types.ts';
import { createView } from './view.ts';
import { ownExportFilter } from './own-exports.ts';
import { exposeFunction, contractsFor, chainFor, type ContractSource } from './contracts.ts';
import { ModReservedNameError, ModInterfaceError } from './errors.ts';
import type { ResolvedSubOptions } from './sub-options.ts';
import { HUB } from './tokens.ts';
import { checkSignatures } from './check-signatures.ts';
import { METHOD_SOURCE } from './function-params.ts';

/** One file's contribution to a module (several files merge when projects extend the same dyne). */
export interface ModulePart {
  readonly path: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

export interface BuildContext {
  readonly hub: object;
  readonly sub: Sub;
  readonly subRef: string;
  readonly options: ResolvedSubOptions;
  readonly log: Logger;
  /** The hub's container, made on first call: only class plugins need it. */
  readonly container: () => DependencyContainer;
  readonly ancestors: readonly ContractSource[];
}

/** pop's module markers: configure the loader, never exposed as functions. */
export const MARKERS = new Set([
  '__virtual__', '__virtualname__', '__init__', '__func_alias__', '__sub_alias__', '__contracts__', '__close__', 'default',
]);

type Fn = (...args: never[]) => unknown;
type OwnFilter = ReturnType<typeof ownExportFilter>;

export function isClass(v: unknown): v is new (...args: never[]) => object {
  return typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));
}

/**
 * Builds the hub-facing module from its files: picks exported functions (not markers, not `_private`, not
 * re-exported from elsewhere), applies `__func_alias__`, injects the module's hub view and wraps contracts.
 * On a clash between merged files the later file wins and a warning names both paths.
 */
export function buildModule(ctx: BuildContext, name: string, parts: readonly ModulePart[], virtualName?: string): Module {
  const functions = new Map<string, FunctionRecord>();
  const closeHooks: Array<() => unknown> = [];
  const vars = new Map<string, string>();
  const mod = new Module({ name, sub: ctx.sub, paths: parts.map((p) => p.path), functions, virtualName, closeHooks, vars });
  const view = createView(ctx.hub, mod, ctx.sub);
  const declared = parts.flatMap((p) => stringList(p.exports.__contracts__, '__contracts__', p.path));
  const contractModules = contractsFor(name, declared, ctx.sub[META].contracts, ctx.ancestors);

  for (const part of parts) {
    const isOwn = ctx.options.omitFunc ? () => false : ownExportFilter(part.path);
    const found = ctx.options.omitFunc ? [] : pluginFunctions(ctx, part, view, isOwn);
    for (const { name: fnName, fn: raw, key, kind } of found) {
      if (RESERVED_FUNCTION_NAMES.has(fnName)) {
        throw new ModReservedNameError(`${part.path}: "${fnName}" is reserved on modules; rename it or alias it with __func_alias__`);
      }
      const previous = functions.get(fnName);
      if (previous) {
        ctx.log.warn(`function clash in ${ctx.subRef}.${name}.${fnName}: ${part.path} overrides ${previous.path}`, {
          winner: part.path,
          loser: previous.path,
        });
      }
      const ref = `${ctx.subRef}.${name}.${fnName}`;
      const chain = chainFor(fnName, contractModules);
      const wrap = (impl: Fn, contracts: boolean) => exposeFunction(impl, view, fnName, ref, contracts ? chain : undefined);
      const exposed = wrap(kind === 'function' ? raw : dropHub(raw), true);
      if (kind === 'function') forwardAttributes(raw, exposed);
      functions.set(fnName, { raw, exposed, path: part.path, key, kind, wrap });
      Object.defineProperty(mod, fnName, { value: exposed, enumerable: true, writable: true, configurable: true });
    }
    if (!ctx.options.omitFunc) exposeVars(ctx, part, mod, isOwn, vars);
    const close = part.exports.__close__;
    if (typeof close === 'function') closeHooks.push(() => (close as (hub: object) => unknown)(view));
  }
  checkSignatures(`${ctx.subRef}.${name}`, contractModules, functions);
  return mod;
}

/** Own properties every function has; the rest are attributes a plugin set (`fn.attr = 1`). */
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);

/**
 * pop: attributes set on a plugin function read through the hub's function (`hub.sub.mod.fn.attr`). They are
 * forwarded, not copied, so a later `fn.attr = 2` in the plugin file shows through too.
 */
function forwardAttributes(raw: Fn, exposed: Fn): void {
  for (const key of Reflect.ownKeys(raw)) {
    if (typeof key === 'string' && FUNCTION_OWN.has(key)) continue;
    Object.defineProperty(exposed, key, {
      get: () => (raw as unknown as Record<PropertyKey, unknown>)[key],
      set: (v: unknown) => {
        (raw as unknown as Record<PropertyKey, unknown>)[key] = v;
      },
      enumerable: Object.getOwnPropertyDescriptor(raw, key)?.enumerable ?? true,
      configurable: true,
    });
  }
}

/** One exposed function of a file: its hub name, the function, its name in the file, and whether it takes `hub`. */
interface FoundFunction {
  readonly name: string;
  readonly fn: Fn;
  readonly key: string;
  readonly kind: FunctionRecord['kind'];
}

/** Every exposed function of one file. */
function pluginFunctions(ctx: BuildContext, part: ModulePart, view: object, isOwn: OwnFilter): FoundFunction[] {
  const out: FoundFunction[] = [];
  const alias = aliasMap(part);
  const { omitStart, omitEnd } = ctx.options;
  for (const [exportName, value] of Object.entries(part.exports)) {
    if (MARKERS.has(exportName) || typeof value !== 'function' || isClass(value)) continue;
    if ((omitStart && exportName.startsWith(omitStart)) || (omitEnd && exportName.endsWith(omitEnd))) continue;
    if (!isOwn(exportName, value)) continue;
    out.push({ name: alias.get(exportName) ?? exportName, fn: value as Fn, key: exportName, kind: 'function' });
  }
  const cls = part.exports.default;
  if (isClass(cls)) out.push(...classMethods(ctx, part, cls, view, alias));
  return out;
}

/**
 * A default-exported class is a plugin too: tsyringe builds it with the module's hub view registered under the
 * `HUB` token (use `@inject(HUB)`; no decorator metadata needed) and its public methods become the functions.
 */
function classMethods(
  ctx: BuildContext,
  part: ModulePart,
  cls: new (...args: never[]) => object,
  view: object,
  alias: Map<string, string>,
): FoundFunction[] {
  const child = ctx.container().createChildContainer();
  child.register(HUB, { useValue: view });
  let instance: object;
  try {
    instance = child.resolve(cls as never) as object;
  } catch (cause) {
    throw new ModInterfaceError(`${part.path}: cannot construct the default-exported class: ${(cause as Error).message}`, { cause });
  }
  const out: FoundFunction[] = [];
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      // Read the descriptor, not `instance[key]`: that would run getters (side effects, throws) while loading.
      const fn = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      if (key === 'constructor' || key.startsWith(ctx.options.omitStart || '\0') || typeof fn !== 'function') continue;
      if (out.some((f) => f.name === (alias.get(key) ?? key))) continue;
      const bound = (fn as Fn).bind(instance) as Fn;
      Object.defineProperty(bound, METHOD_SOURCE, { value: fn });
      out.push({ name: alias.get(key) ?? key, fn: bound, key, kind: 'method' });
    }
  }
  return out;
}

/**
 * Module variables (pop exposes them too): `export const ACCT = ['amqp']` is readable as `hub.ingress.amqp.ACCT`
 * and writable as plugin state. Imported values and `_private` names stay hidden.
 */
function exposeVars(ctx: BuildContext, part: ModulePart, mod: Module, isOwn: OwnFilter, vars: Map<string, string>): void {
  const { omitStart, omitEnd } = ctx.options;
  for (const [name, value] of Object.entries(part.exports)) {
    if (MARKERS.has(name) || typeof value === 'function' || RESERVED_FUNCTION_NAMES.has(name)) continue;
    if ((omitStart && name.startsWith(omitStart)) || (omitEnd && name.endsWith(omitEnd))) continue;
    if (!isOwn(name, { name: '' })) continue;
    Object.defineProperty(mod, name, { value, enumerable: true, writable: true, configurable: true });
    vars.set(name, part.path);
  }
}

/** Class methods already hold the hub; give them a hub-first signature so one wrapper serves both kinds. */
function dropHub(fn: Fn): Fn {
  return ((_hub: unknown, ...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args)) as Fn;
}

function aliasMap(part: ModulePart): Map<string, string> {
  const raw = part.exports.__func_alias__;
  if (raw === undefined) return new Map();
  if (typeof raw !== 'object' || raw === null || Object.values(raw).some((v) => typeof v !== 'string')) {
    throw new ModInterfaceError(`${part.path}: __func_alias__ must map export names to hub names (strings)`);
  }
  return new Map(Object.entries(raw as Record<string, string>));
}

export function stringList(raw: unknown, marker: string, path: string): string[] {
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new ModInterfaceError(`${path}: ${marker} must be a list of names`);
  }
  return list as string[];
}
