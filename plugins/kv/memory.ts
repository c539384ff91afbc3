/**
 * hub.kv.memory — an in-process store shared by every KVStore on this hub: for development, tests, and hosts
 * that set configuration from code. `put`/`remove`/`txn` change it and every watching store sees the change
 * (a `txn` as one change). The `data` option seeds it (`{ 'rabbit/host': 'h' }` or nested objects).
 *
 * State on the module: DATA (key -> text), WATCHERS.
 */
import type { Hub } from '../../src/index.ts';
import { flatten, toText } from './_lib/flatten.ts';
import { folderPrefix } from './_lib/to-config.ts';
import type { KvConnection, KvEntries, KvResolvedOptions, KvWatchListener } from './_lib/types.ts';

export interface MemoryOp {
  readonly put?: string;
  readonly value?: unknown;
  readonly remove?: string;
}

export function __init__(hub: Hub): void {
  hub._.DATA = new Map<string, string>();
  hub._.WATCHERS = new Set<KvWatchListener>();
}

export function open(hub: Hub, options: KvResolvedOptions): KvConnection {
  const data: Map<string, string> = hub._.DATA;
  const watchers: Set<KvWatchListener> = hub._.WATCHERS;
  if (options.data) for (const [k, v] of flatten(options.data)) data.set(k, v);
  let mine: KvWatchListener | undefined;
  return {
    read: async (): Promise<KvEntries> => new Map(data),
    watch(listener: KvWatchListener): void {
      mine = listener;
      watchers.add(listener);
    },
    async close(): Promise<void> {
      if (mine) watchers.delete(mine);
    },
    async write(key: string, value: string): Promise<void> {
      txn(hub, [{ put: `${folderPrefix(options.prefixes[options.prefixes.length - 1] ?? '')}${key}`, value }]);
    },
  };
}

/** Sets `key` (objects are stored as JSON text, as a store would hold them). */
export function put(hub: Hub, key: string, value: unknown): void {
  txn(hub, [{ put: key, value }]);
}

export function remove(hub: Hub, key: string): void {
  txn(hub, [{ remove: key }]);
}

/** Several changes that watching stores see as one. */
export function txn(hub: Hub, ops: readonly MemoryOp[]): void {
  const data: Map<string, string> = hub._.DATA;
  for (const op of ops) {
    if (op.put !== undefined) data.set(op.put, toText(op.value));
    else if (op.remove !== undefined) data.delete(op.remove);
  }
  for (const w of hub._.WATCHERS as Set<KvWatchListener>) w.entries(new Map(data));
}

export function describe(): string {
  return 'the memory store';
}
