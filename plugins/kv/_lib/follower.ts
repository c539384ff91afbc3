/**
 * Follows a store after the first read: its watch when it has one (and `watch` is not off), else a read every
 * reloadSeconds. Changes arriving close together become one reload: each complete set of entries replaces the
 * pending one, and the reload runs once nothing new came for debounceMs (at most 10 x debounceMs after the first).
 *
 * Outages: the first failure is logged once, the recovery once; in between the last good configuration stays,
 * since a failed read never produces entries.
 */
import type { Logger } from '../../../src/index.ts';
import { describeError } from '../../../src/errors.ts';
import type { KvConnection, KvEntries, KvResolvedOptions } from './types.ts';

export interface FollowerSpec {
  readonly connection: KvConnection;
  readonly options: KvResolvedOptions;
  readonly address: string;
  readonly log: Logger;
  /** Builds and announces the configuration; the follower never runs two at once. */
  readonly apply: (entries: KvEntries) => Promise<void>;
}

export class Follower {
  readonly #spec: FollowerSpec;
  #periodMs: number;
  #pending: KvEntries | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #firstPendingAt = 0;
  #poll: NodeJS.Timeout | undefined;
  #watching = false;
  #running = false;
  #downSince: number | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(spec: FollowerSpec) {
    this.#spec = spec;
    this.#periodMs = spec.options.reloadSeconds * 1000;
  }

  get usesWatch(): boolean {
    return this.#spec.options.watch && typeof this.#spec.connection.watch === 'function';
  }

  /** Starts following; `periodSeconds` replaces reloadSeconds for polling. */
  start(periodSeconds?: number): void {
    if (periodSeconds !== undefined) this.#periodMs = periodSeconds * 1000;
    if (this.#running) return;
    this.#running = true;
    if (this.usesWatch) {
      if (!this.#watching) {
        this.#watching = true;
        this.#spec.connection.watch?.({ entries: (e) => this.#changed(e), down: (err) => this.#down(err), up: () => this.#up() });
      }
    } else {
      this.#schedulePoll();
    }
  }

  /** Stops reloading (a watch stays open but its changes are ignored until start()). */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#poll);
    clearTimeout(this.#debounce);
    this.#poll = this.#debounce = this.#pending = undefined;
  }

  /** Resolves once every reload already queued has run. */
  idle(): Promise<void> {
    return this.#chain;
  }

  /** One read now, applied like any change (used when reloading is switched back on). */
  async readNow(): Promise<void> {
    try {
      const entries = await this.#spec.connection.read();
      this.#up();
      await this.#enqueue(entries);
    } catch (err) {
      this.#down(err);
    }
  }

  #schedulePoll(): void {
    if (!this.#running) return;
    this.#poll = setTimeout(() => {
      void this.readNow().finally(() => this.#schedulePoll());
    }, this.#periodMs);
  }

  #changed(entries: KvEntries): void {
    if (!this.#running) return;
    this.#up();
    const wait = this.#spec.options.debounceMs;
    if (this.#pending === undefined) this.#firstPendingAt = Date.now();
    this.#pending = entries;
    clearTimeout(this.#debounce);
    const left = Math.max(0, this.#firstPendingAt + wait * 10 - Date.now());
    this.#debounce = setTimeout(() => this.#flush(), Math.min(wait, left));
  }

  #flush(): void {
    const entries = this.#pending;
    this.#pending = this.#debounce = undefined;
    if (entries && this.#running) void this.#enqueue(entries);
  }

  #enqueue(entries: KvEntries): Promise<void> {
    this.#chain = this.#chain.then(() => this.#spec.apply(entries)).catch((err: unknown) => {
      this.#spec.log.error('kv: reload failed; keeping the last good config', { address: this.#spec.address, error: describeError(err) });
    });
    return this.#chain;
  }

  // Both ends of an outage are logged at warn, so an operator who sees the start at the default level sees the end.
  #down(err: unknown): void {
    if (this.#downSince !== undefined) return;
    this.#downSince = Date.now();
    this.#spec.log.warn('kv: the store is unreachable; keeping the last good config until it answers again', {
      address: this.#spec.address,
      error: describeError(err),
    });
  }

  #up(): void {
    if (this.#downSince === undefined) return;
    const downForMs = Date.now() - this.#downSince;
    this.#downSince = undefined;
    this.#spec.log.warn('kv: the store answers again; reloading resumes', { address: this.#spec.address, downForMs });
  }
}
