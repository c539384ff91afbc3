/**
 * Checks KVStore options once, at the boundary, and fills each unset one from the environment with
 * clc_msa_utils' names and defaults (CONSUL_HOST, CONSUL_PORT 8500, ETCD_HOST localhost, ETCD_PORT 2379,
 * KV_PREFIX "", RELOAD_CONFIG_PERIOD 20, RELOAD_ENABLED false).
 */
import { KvOptionsError } from '../_errors.ts';
import type { KVStoreOptions, KvResolvedOptions } from './types.ts';

const KNOWN = new Set([
  'consulHost', 'consulPort', 'consulToken', 'etcdHost', 'etcdPort', 'etcdEndpoints', 'kvPrefix', 'reloadSeconds',
  'reloadEnabled', 'backend', 'watch', 'debounceMs', 'connectTimeoutMs', 'file', 'data', 'logging', 'hub', 'root',
  'logger', 'env',
]);
const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);
const BACKEND = /^[A-Za-z_$][\w$]*$/;

type Env = Readonly<Record<string, string | undefined>>;

export function resolveStoreOptions(input: unknown): KvResolvedOptions {
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null) throw new KvOptionsError('new KVStore(opts): opts must be an object');
  const o = input as KVStoreOptions & Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) throw new KvOptionsError(`KVStore: unknown option "${key}"`);
  const env: Env = o.env ?? process.env;
  const consulHost = text(o, 'consulHost') ?? nonEmpty(env.CONSUL_HOST);
  const etcdHost = text(o, 'etcdHost') ?? nonEmpty(env.ETCD_HOST) ?? 'localhost';
  const etcdPort = port(o.etcdPort ?? env.ETCD_PORT ?? 2379, 'etcdPort', 'ETCD_PORT');
  const backend = text(o, 'backend');
  if (backend !== undefined && !BACKEND.test(backend)) throw new KvOptionsError(`KVStore: backend "${backend}" is not a plugin name`);
  return Object.freeze({
    consulHost,
    consulPort: port(o.consulPort ?? env.CONSUL_PORT ?? 8500, 'consulPort', 'CONSUL_PORT'),
    consulToken: text(o, 'consulToken') ?? nonEmpty(env.CONSUL_HTTP_TOKEN),
    etcdEndpoints: endpoints(o.etcdEndpoints ?? nonEmpty(env.ETCD_ENDPOINTS), `${etcdHost}:${etcdPort}`),
    prefixes: prefixes(o.kvPrefix ?? env.KV_PREFIX ?? ''),
    reloadSeconds: positive(o.reloadSeconds ?? env.RELOAD_CONFIG_PERIOD ?? 20, 'reloadSeconds', 'RELOAD_CONFIG_PERIOD'),
    reloadEnabled: flag(o.reloadEnabled ?? env.RELOAD_ENABLED ?? false, 'reloadEnabled', 'RELOAD_ENABLED'),
    backend,
    watch: flag(o.watch ?? true, 'watch'),
    debounceMs: nonNegative(o.debounceMs ?? 25, 'debounceMs'),
    connectTimeoutMs: positive(o.connectTimeoutMs ?? 5000, 'connectTimeoutMs'),
    file: text(o, 'file'),
    data: mapping(o.data, 'data'),
    logging: flag(o.logging ?? true, 'logging'),
  });
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function text(o: Record<string, unknown>, name: string): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new KvOptionsError(`KVStore: option "${name}" must be a non-empty string`);
  return v.trim();
}

function numberFrom(v: unknown, name: string, envName: string | undefined): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new KvOptionsError(`KVStore: ${envName ? `option "${name}" (${envName})` : `option "${name}"`} must be a number, got ${JSON.stringify(v)}`);
  }
  return n;
}

function port(v: unknown, name: string, envName: string): number {
  const n = numberFrom(v, name, envName);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new KvOptionsError(`KVStore: option "${name}" (${envName}) must be a port number (1-65535), got ${n}`);
  return n;
}

function positive(v: unknown, name: string, envName?: string): number {
  const n = numberFrom(v, name, envName);
  if (!(n > 0)) throw new KvOptionsError(`KVStore: option "${name}"${envName ? ` (${envName})` : ''} must be greater than 0, got ${n}`);
  return n;
}

function nonNegative(v: unknown, name: string): number {
  const n = numberFrom(v, name, undefined);
  if (n < 0) throw new KvOptionsError(`KVStore: option "${name}" must not be negative, got ${n}`);
  return n;
}

/** Unlike Python's bool(os.getenv(...)), RELOAD_ENABLED=false means false. */
function flag(v: unknown, name: string, envName?: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  throw new KvOptionsError(`KVStore: option "${name}"${envName ? ` (${envName})` : ''} must be a boolean (true/false, 1/0, yes/no, on/off), got ${JSON.stringify(v)}`);
}

function endpoints(v: unknown, fallback: string): string[] {
  if (v === undefined) return [fallback];
  const list = typeof v === 'string' ? v.split(',') : v;
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'string')) throw new KvOptionsError('KVStore: option "etcdEndpoints" (ETCD_ENDPOINTS) must be a list of host:port');
  const out = list.map((e: string) => e.trim()).filter((e) => e !== '');
  if (out.length === 0) throw new KvOptionsError('KVStore: option "etcdEndpoints" (ETCD_ENDPOINTS) is empty');
  return out;
}

/** Prefixes as given; "" is the whole keyspace. Leading and trailing slashes do not matter (see to-config.ts). */
function prefixes(v: unknown): string[] {
  const list = typeof v === 'string' ? (v.includes(',') ? v.split(',') : [v]) : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string')) {
    throw new KvOptionsError('KVStore: option "kvPrefix" (KV_PREFIX) must be a string or a non-empty list of strings');
  }
  return list.map((p: string) => p.trim());
}

function mapping(v: unknown, name: string): Readonly<Record<string, unknown>> | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new KvOptionsError(`KVStore: option "${name}" must be an object`);
  return v as Record<string, unknown>;
}
