/**
 * The kv family's interfaces: what KVStore accepts, what a backend plugin provides.
 */
import type { Hub, Logger } from '../../../src/index.ts';

/** A configuration as callbacks see it: nested objects, JSON values parsed. */
export type KvConfig = Readonly<Record<string, unknown>>;

/** `kv.onReload((old, current) => ...)`: `old` is undefined on the first load. May be async. */
export type KvReloadCallback = (old: KvConfig | undefined, current: KvConfig) => unknown;

/** Options of `new KVStore(opts)`; each unset option is read from the environment as clc_msa_utils does. */
export interface KVStoreOptions {
  /** Consul agent host (CONSUL_HOST; none). Set: Consul is tried first. */
  consulHost?: string;
  /** Consul HTTP port (CONSUL_PORT; 8500). */
  consulPort?: number;
  /** ACL token sent as X-Consul-Token (CONSUL_HTTP_TOKEN; none). */
  consulToken?: string;
  /** etcd host (ETCD_HOST; localhost). */
  etcdHost?: string;
  /** etcd client port (ETCD_PORT; 2379). */
  etcdPort?: number;
  /** etcd cluster members, `host:port` or URLs (ETCD_ENDPOINTS, comma-separated); replaces etcdHost/etcdPort. */
  etcdEndpoints?: readonly string[];
  /** Key prefix, or a list of prefixes overlaid in order, later wins (KV_PREFIX, comma-separated; ""). */
  kvPrefix?: string | readonly string[];
  /** Seconds between reads for backends without a watch, or with `watch: false` (RELOAD_CONFIG_PERIOD; 20). */
  reloadSeconds?: number;
  /** Follow changes after the first load (RELOAD_ENABLED; false). */
  reloadEnabled?: boolean;
  /** A plugin of the kv dyne: `etcd`, `consul`, `memory`, `file` or a host's own. Default: Consul when a Consul host is set, else etcd. */
  backend?: string;
  /** Use the backend's watch when it has one (default true); false polls every reloadSeconds, as the original did. */
  watch?: boolean;
  /** Changes arriving within this many ms of each other make one reload (default 25). */
  debounceMs?: number;
  /** How long the first read may take before it counts as unreachable (default 5000). */
  connectTimeoutMs?: number;
  /** The `file` backend's YAML or JSON file. */
  file?: string;
  /** The `memory` backend's initial keys (`{ 'rabbit/host': 'h' }`) or nested values. */
  data?: Readonly<Record<string, unknown>>;
  /** Apply the `logging_level` / `logging_config` keys to the hub logger's levels, live (default true). */
  logging?: boolean;
  /** Use this hub (its kv dyne, its logger) instead of creating one; the store then does not close it. */
  hub?: Hub;
  /** For a hub the store creates: its root folder (default process.cwd()) and logger. */
  root?: string;
  logger?: Logger;
  /** Environment to read the defaults from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** KVStoreOptions checked, with every default and env value applied. */
export interface KvResolvedOptions {
  readonly consulHost: string | undefined;
  readonly consulPort: number;
  readonly consulToken: string | undefined;
  readonly etcdEndpoints: readonly string[];
  readonly prefixes: readonly string[];
  readonly reloadSeconds: number;
  readonly reloadEnabled: boolean;
  readonly backend: string | undefined;
  readonly watch: boolean;
  readonly debounceMs: number;
  readonly connectTimeoutMs: number;
  readonly file: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly logging: boolean;
}

/** Every key under the prefixes, full key -> raw value, from one consistent read. */
export type KvEntries = ReadonlyMap<string, string>;

/** What a backend's watch reports. */
export interface KvWatchListener {
  /** The complete entries after one or more whole changes (never half a transaction). */
  entries(entries: KvEntries): void;
  /** The store stopped answering (called again on every failed attempt; the facade logs it once). */
  down(error: unknown): void;
  /** The store answers again. */
  up(): void;
}

/** An open backend, made by a backend plugin's `open(hub, options)`. */
export interface KvConnection {
  /** One consistent read of every key under the prefixes. Rejects when the store does not answer. */
  read(): Promise<KvEntries>;
  /** Follows changes after the last read(); optional: without it the facade polls read(). */
  watch?(listener: KvWatchListener): void;
  /** Stops watching and releases the connection. */
  close(): Promise<void>;
  /** Sets one key below the last (winning) prefix; optional: a store without it is read-only to tspop. */
  write?(key: string, value: string): Promise<void>;
}

/** The interface of a backend plugin file in the kv dyne (`plugins/kv/etcd.ts`). */
export interface KvBackendPlugin {
  open(options: KvResolvedOptions): Promise<KvConnection> | KvConnection;
  /** The addresses it would try, for the unreachable error (`etcd at 127.0.0.1:2379`). */
  describe?(options: KvResolvedOptions): string;
}
