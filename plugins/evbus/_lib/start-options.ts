/**
 * `start(opts)` options, checked once: explicit options win over `hub.OPT.evbus` (conf/env/flags), which win
 * over the built-in defaults. Every problem is a TSPOP_ERR_EVBUS_OPTIONS naming the option.
 */
import { EvbusOptionsError } from '../_errors.ts';
import type { EvbusContexts, EvbusStartOptions } from './types.ts';

export interface ResolvedStartOptions {
  readonly contexts: EvbusContexts | undefined;
  readonly profiles: EvbusContexts | undefined;
  readonly acctFile: string | undefined;
  readonly acctKey: string | undefined;
  readonly ingressProfiles: readonly string[];
  /** Unset: contexts' `match_plugin` (pop), else `glob`. */
  readonly matchPlugin: string | undefined;
  readonly serialPlugin: string;
  readonly queueSize: number;
  readonly errorCallbackRef: string | undefined;
  /** undefined: on only when no other lane exists (the embedded default). */
  readonly internalDefault: boolean | undefined;
}

export const DEFAULTS = { matchPlugin: 'glob', serialPlugin: 'json', queueSize: 10_000 } as const;

const KEYS = new Set([
  'contexts', 'profiles', 'acctFile', 'acctKey', 'ingressProfiles', 'matchPlugin', 'serialPlugin', 'queueSize',
  'errorCallbackRef', 'internalDefault',
]);

/** `opt` is `hub.OPT.evbus` (may be undefined when options were never loaded). */
export function resolveStartOptions(input: unknown, opt: Readonly<Record<string, unknown>> | undefined): ResolvedStartOptions {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new EvbusOptionsError('hub.evbus.init.start expects an options object');
  const o = input as EvbusStartOptions & Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) throw new EvbusOptionsError(`hub.evbus.init.start: unknown option(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
  const c = opt ?? {};
  return {
    contexts: mapping(o.contexts, 'contexts'),
    profiles: mapping(o.profiles, 'profiles'),
    acctFile: str(o.acctFile, 'acctFile'),
    acctKey: str(o.acctKey, 'acctKey'),
    ingressProfiles: names(o.ingressProfiles ?? c.ingress_profiles ?? [], 'ingressProfiles'),
    matchPlugin: str(o.matchPlugin ?? c.match_plugin, 'matchPlugin'),
    serialPlugin: str(o.serialPlugin ?? c.serial_plugin, 'serialPlugin') ?? DEFAULTS.serialPlugin,
    queueSize: queueSize(o.queueSize ?? c.queue_size ?? DEFAULTS.queueSize),
    errorCallbackRef: str(o.errorCallbackRef ?? c.error_callback_ref, 'errorCallbackRef'),
    internalDefault: o.internalDefault === undefined ? undefined : bool(o.internalDefault, 'internalDefault', true),
  };
}

export function queueSize(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new EvbusOptionsError(`evbus queue size must be a positive integer, got ${String(v)}`);
  return v;
}

function str(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new EvbusOptionsError(`hub.evbus.init.start: "${key}" must be a non-empty string`);
  return v;
}

function bool(v: unknown, key: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new EvbusOptionsError(`hub.evbus.init.start: "${key}" must be true or false`);
  return v;
}

function names(v: unknown, key: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) {
    throw new EvbusOptionsError(`hub.evbus.init.start: "${key}" must be a list of acct profile names`);
  }
  return [...v] as string[];
}

function mapping(v: unknown, key: string): EvbusContexts | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new EvbusOptionsError(`hub.evbus.init.start: "${key}" must map acct providers to { profileName: data }`);
  }
  return v as EvbusContexts;
}
