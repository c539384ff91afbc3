/**
 * A ValueStore on the kv family (hub.kv), for a service YAML's `kv:` block: reads through the KVStore facade
 * (`store.get('<service>.<endpoint>')`), writes through the store's `put` or, failing that, the backend
 * plugin's `put(key, value)` (the memory backend has one). A backend that can only read is a config error.
 * hub.kv.init.open(options) gives a KVStore; its put() writes below the store's prefix (etcd, consul, memory).
 */
import type { Hub } from '../../../src/types.ts';
import { describeError } from '../../../src/describe-error.ts';
import { DriplineConfigError } from '../_errors.ts';
import type { ValueStore } from './value-store.ts';

interface KvStoreLike {
  get(key: string, dflt?: unknown): Promise<unknown> | unknown;
  put?(key: string, value: unknown): Promise<void> | void;
}

export async function kvValueStore(hub: Hub, options: Readonly<Record<string, unknown>>, where: string): Promise<ValueStore> {
  let store: KvStoreLike;
  try {
    if (hub.kv === undefined) await hub.pop.sub.add({ dyneName: 'kv' });
    store = (await hub.kv.init.open(options)) as KvStoreLike;
  } catch (err) {
    throw new DriplineConfigError(`${where}: kv: cannot open the hub.kv store: ${describeError(err, { redact: true })}`, { cause: err });
  }
  const prefix = typeof options.kvPrefix === 'string' ? options.kvPrefix : '';
  const backend = typeof options.backend === 'string' ? hub.kv[options.backend] : undefined;
  // the store's own put() adds its prefix; a backend plugin's put() takes the whole key
  const put = store.put ? (k: string, v: string) => store.put?.(k, v) : typeof backend?.put === 'function' ? (k: string, v: string) => backend.put(`${prefix}${k}`, v) : undefined;
  if (!put) throw new DriplineConfigError(`${where}: kv: backend ${String(options.backend ?? 'default')} cannot store values (it has no put)`);
  // each value is stored as a JSON object { value }: the facade parses JSON objects back, while a bare string
  // value would come back as its JSON text and a number-like string as a number
  return {
    async get(key) {
      const held = (await store.get(key.replace(/\//g, '.'), undefined)) as { value?: unknown } | undefined;
      return held !== null && typeof held === 'object' && 'value' in held ? held.value : undefined;
    },
    async put(key, value) {
      await put(key, JSON.stringify({ value: value ?? null }));
    },
  };
}
