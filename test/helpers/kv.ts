/** Helpers for the kv tests: a store on tspop's own kv dyne with a memory logger, and a record of its reloads. */
import { fileURLToPath } from 'node:url';
import { KVStore, createMemoryLogger, type KVStoreOptions, type KvConfig } from '../../src/index.ts';
import { waitFor } from './wait-for.ts';

export const TSPOP_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Reload {
  readonly old: KvConfig | undefined;
  readonly current: KvConfig;
}

export interface WatchedStore {
  readonly kv: KVStore;
  readonly log: ReturnType<typeof createMemoryLogger>;
  readonly reloads: Reload[];
  /** Waits until a reload's config satisfies `test`; returns that reload. */
  reloadWhere(test: (c: KvConfig) => boolean, what: string, timeoutMs?: number): Promise<Reload>;
  /** Log records whose message starts with `prefix`. */
  logged(prefix: string): { level: string; msg: string; fields?: Record<string, unknown> }[];
}

let n = 0;
/** A prefix of its own for each test, so tests sharing one etcd do not see each other's keys. */
export function uniquePrefix(name: string): string {
  return `tspop-test/${name}-${process.pid}-${++n}/`;
}

export async function watchedStore(options: KVStoreOptions): Promise<WatchedStore> {
  const log = createMemoryLogger();
  const kv = new KVStore({ root: TSPOP_ROOT, logger: log, reloadEnabled: true, ...options });
  const reloads: Reload[] = [];
  kv.onReload((old, current) => void reloads.push({ old, current }));
  await kv.ready();
  return {
    kv,
    log,
    reloads,
    reloadWhere: (test, what, timeoutMs = 30_000) => waitFor(() => reloads.find((r) => test(r.current)), what, timeoutMs),
    logged: (prefix) => log.records.filter((r) => r.msg.startsWith(prefix)),
  };
}
