/**
 * hub.kv — live configuration from etcd, Consul or an embedded store (clc_msa_utils' KVStore). Backends are the
 * other plugins of this dyne (`etcd`, `consul`, `memory`, `file`; a host adds one by dropping `<name>.ts` with
 * `open(hub, options)` into its own kv dyne folder). `hub.kv.init.open(opts)` is `new KVStore({ ...opts, hub })`
 * once loaded.
 *
 * State on the sub: STORES, the stores open on this hub (closed by hub.close()).
 */
import type { Hub } from '../../src/index.ts';
import { KVStore } from './_lib/kv-store.ts';
import { backendNames } from './_lib/connect.ts';
import type { KVStoreOptions } from './_lib/types.ts';

export function __init__(hub: Hub): void {
  hub.__.STORES = new Set<KVStore>();
}

/** A KVStore on this hub, resolved once its first configuration is loaded. */
export async function open(hub: Hub, options: Omit<KVStoreOptions, 'hub' | 'root' | 'logger'> = {}): Promise<KVStore> {
  const store = new KVStore({ ...options, hub });
  await store.ready();
  return store;
}

/** The backend plugins this hub has (`['consul', 'etcd', 'file', 'memory']` plus a host's own). */
export function backends(hub: Hub): string[] {
  return backendNames(hub);
}

/** On hub.close(): close every store still open on this hub. */
export async function __close__(hub: Hub): Promise<void> {
  const stores: Set<KVStore> = hub.__.STORES;
  await Promise.all([...stores].map((s) => s.close()));
  stores.clear();
}
