/**
 * KVStore — clc_msa_utils' KVStore for TypeScript: loads a configuration from etcd, Consul or an embedded store,
 * follows it, and calls `onReload((old, current) => ...)` after each change. It runs on a hub's `kv` dyne: give
 * it `{ hub }` to use your hub (and your own backends in your kv dyne), or let it create and own one.
 *
 *   const kv = new KVStore({ kvPrefix: 'my-service/', reloadEnabled: true });
 *   kv.onReload((old, current) => { ... });
 *   const host = await kv.get('rabbit.host', 'localhost');
 */
import { isDeepStrictEqual } from 'node:util';
import { Hub } from '../../../src/hub.ts';
import type { Hub as HubType, Logger } from '../../../src/index.ts';
import { deepFreeze } from '../../../src/config/deep-freeze.ts';
import { describeError } from '../../../src/errors.ts';
import { KvClosedError, KvOptionsError } from '../_errors.ts';
import { connect, type Connected } from './connect.ts';
import { Follower } from './follower.ts';
import { LoggingControl } from './logging-control.ts';
import { resolveStoreOptions } from './store-options.ts';
import { buildConfig, lookup } from './to-config.ts';
import type { KVStoreOptions, KvConfig, KvEntries, KvReloadCallback, KvResolvedOptions } from './types.ts';

interface Running {
  readonly hub: HubType;
  readonly owned: boolean;
  readonly connected: Connected;
  readonly follower: Follower;
  readonly logging: LoggingControl | undefined;
}

export class KVStore {
  readonly #options: KvResolvedOptions;
  readonly #given: KVStoreOptions;
  readonly #listeners: KvReloadCallback[] = [];
  readonly #ready: Promise<Running>;
  #running: Running | undefined;
  #current: KvConfig | undefined;
  #old: KvConfig | undefined;
  #closed = false;
  #following = false;

  constructor(options: KVStoreOptions = {}) {
    this.#options = resolveStoreOptions(options);
    this.#given = options;
    this.#ready = this.#start();
    this.#ready.catch(() => undefined); // reported by ready()/get(); an unawaited store must not crash the process
  }

  /** The options in force, defaults and environment applied. */
  get options(): KvResolvedOptions {
    return this.#options;
  }

  /** Resolves once the first configuration is loaded; rejects with TSPOP_ERR_KV_UNREACHABLE when no store answered. */
  async ready(): Promise<void> {
    await this.#use();
  }

  /** The value at `key` (`rabbit/host`, `rabbit.host` or `rabbit` for the whole folder), a copy; `fallback` when unset. */
  async get<T = unknown>(key: string, fallback?: T): Promise<T> {
    await this.#use();
    const value = key ? lookup(this.#current, key) : undefined;
    return (value === undefined ? fallback : structuredClone(value)) as T;
  }

  /**
   * Sets `key` (`a/b` or `a.b`, below the last prefix) in the store: strings as they are, anything else as JSON. The
   * change arrives like any other (onReload). TSPOP_ERR_KV_OPTIONS when the backend cannot write.
   */
  async put(key: string, value: unknown): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new KvOptionsError('kv.put(key, value): key must be a non-empty string');
    const { connected } = await this.#use();
    const write = connected.connection.write?.bind(connected.connection);
    if (!write) throw new KvOptionsError(`kv.put: the ${this.#options.backend ?? 'chosen'} backend cannot write`);
    await write(key.split(/[./]/).join('/'), typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The whole configuration (a copy). */
  async getDict(): Promise<Record<string, unknown>> {
    await this.#use();
    return structuredClone(this.#current ?? {}) as Record<string, unknown>;
  }

  /** The configuration before the last reload (a copy); undefined before the second load. */
  getOldDict(): Record<string, unknown> | undefined {
    return this.#old === undefined ? undefined : (structuredClone(this.#old) as Record<string, unknown>);
  }

  /**
   * Calls `callback(old, current)` after each load that changed the configuration, in the order added (`first`
   * puts it before the others). A callback added before the first load completes sees it, with `old` undefined.
   * Both configurations are deep-frozen; a callback that throws is logged and the others still run.
   */
  onReload(callback: KvReloadCallback, options: { first?: boolean } = {}): void {
    if (typeof callback !== 'function') throw new KvOptionsError('kv.onReload(callback): callback must be a function');
    if (options.first) this.#listeners.unshift(callback);
    else this.#listeners.push(callback);
  }

  removeOnReload(callback: KvReloadCallback): void {
    const i = this.#listeners.indexOf(callback);
    if (i >= 0) this.#listeners.splice(i, 1);
  }

  /** True when any of `keys` differs between the two most recent loads (on the first load: when any is set). */
  attributeChanged(...keys: string[]): boolean {
    return this.attributeChangedInDict(this.#old, this.#current, ...keys);
  }

  /** True when any of `keys` differs between `old` and `current` (clc_msa_utils' attribute_changed_in_dict). */
  attributeChangedInDict(old: KvConfig | undefined, current: KvConfig | undefined, ...keys: string[]): boolean {
    return keys.some((k) => !isDeepStrictEqual(lookup(old, k), lookup(current, k)));
  }

  /** Turns reloading on (optionally with a new polling period in seconds) and reads the store once now. */
  async enableReloading(reloadSeconds?: number): Promise<void> {
    if (reloadSeconds !== undefined && !(typeof reloadSeconds === 'number' && reloadSeconds > 0)) {
      throw new KvOptionsError('kv.enableReloading(seconds): seconds must be a number greater than 0');
    }
    const { follower } = await this.#use();
    this.#following = true;
    follower.start(reloadSeconds);
    await follower.readNow();
  }

  disableReloading(): void {
    this.#following = false;
    this.#running?.follower.stop();
  }

  isReloadingEnabled(): boolean {
    return this.#running ? this.#following : this.#options.reloadEnabled;
  }

  /** Resolves once every change received so far has been applied and announced (for tests and orderly shutdowns). */
  async settled(): Promise<void> {
    await (await this.#use()).follower.idle();
  }

  /** Stops following and releases the connection (and the hub, when the store created it). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const running = await this.#ready.catch(() => undefined);
    if (!running) return;
    running.follower.stop();
    await running.connected.connection.close().catch((err: unknown) => running.hub.log.warn('kv: closing the connection failed', { error: describeError(err) }));
    running.hub.kv?.STORES?.delete(this);
    if (running.owned) await running.hub.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #use(): Promise<Running> {
    if (this.#closed) throw new KvClosedError('this KVStore is closed');
    return this.#ready;
  }

  async #start(): Promise<Running> {
    const owned = this.#given.hub === undefined;
    const hub = this.#given.hub ?? (await Hub.create({ root: this.#given.root, logger: this.#given.logger }));
    try {
      if (hub.kv === undefined) await hub.pop.sub.add({ dyneName: 'kv' });
      const connected = await connect(hub, this.#options);
      const log: Logger = hub.log;
      const logging = this.#options.logging ? new LoggingControl(log) : undefined;
      const follower = new Follower({
        connection: connected.connection,
        options: this.#options,
        address: connected.address,
        log,
        apply: (entries) => this.#apply(entries, log, logging),
      });
      const running: Running = { hub, owned, connected, follower, logging };
      log.info(`kv: loaded ${connected.address}`, { prefixes: this.#options.prefixes.join(','), keys: connected.entries.size });
      await this.#apply(connected.entries, log, logging);
      this.#running = running;
      if (this.#closed) {
        await connected.connection.close();
        throw new KvClosedError('this KVStore was closed before it finished loading');
      }
      hub.kv.STORES.add(this);
      if (this.#options.reloadEnabled) {
        this.#following = true;
        follower.start();
      }
      return running;
    } catch (err) {
      if (owned) await hub.close();
      throw err;
    }
  }

  async #apply(entries: KvEntries, log: Logger, logging: LoggingControl | undefined): Promise<void> {
    if (this.#closed) return;
    const next = deepFreeze(buildConfig(entries, this.#options.prefixes)) as KvConfig;
    const first = this.#current === undefined;
    if (!first && isDeepStrictEqual(next, this.#current)) return;
    this.#old = this.#current;
    this.#current = next;
    logging?.apply(next);
    const old = this.#old;
    for (const callback of [...this.#listeners]) {
      try {
        await callback(old, next);
      } catch (err) {
        log.error('kv: an onReload callback failed', { error: describeError(err) });
      }
    }
  }
}
