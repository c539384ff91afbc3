/**
 * One broker connection shared by every lease with the same settings, kept up by amqp-connection-manager (its
 * reconnect loop and round robin over the broker list). What it adds:
 *
 * - backoff with jitter between attempts (the manager waits a fixed time; it reads `reconnectTimeInSeconds` before
 *   every wait, so we set it from the attempt count);
 * - a login refused before the first success fails the connection for good instead of retrying forever;
 * - on every connect, in order: each registered topology is declared, then the channel users (consumers first,
 *   then publishers) are told the connection is ready — so nothing is consumed or published before its queues
 *   exist again;
 * - close() that cannot hang on a socket that died under it.
 *
 * Channels are not the manager's ChannelWrapper: with amqplib >= 1.0.5 a wrapper rejects every publish that was
 * in flight when the connection dropped ('channel closed') instead of re-sending it, and its buffer is unbounded;
 * see publisher-core.ts.
 */
import { EventEmitter } from 'node:events';
import { AmqpConnectionManagerClass, type AmqpConnectionManager } from 'amqp-connection-manager';
import type { ChannelModel, Options } from 'amqplib';
import { backoffDelay } from '../../../src/backoff.ts';
import { within } from '../../../src/with-timeout.ts';
import type { Logger } from '../../../src/types.ts';
import { AmqpClosedError, AmqpLoginRefusedError, AmqpUnreachableError } from '../_errors.ts';
import { isLoginRefused, safeText } from './broker-error.ts';
import type { ConnectSettings } from './connect-settings.ts';
import type { AmqpConnectionEvent, AmqpConnectionStats } from './types.ts';
import { shutdownModel } from './shutdown-model.ts';

/** A publisher or consumer that needs a channel on the current connection. */
export interface ChannelUser {
  readonly kind: 'consumer' | 'publisher';
  /** The connection (generation `gen`) is up and its topology declared. */
  ready(model: ChannelModel, gen: number): void;
  /** The connection of generation `gen` is gone; a new `ready` follows once it is back. */
  lost(gen: number): void;
  /** The connection failed for good (refused login) or was closed. */
  failed(err: Error): void;
}

/** Something declared on every connect, before channel users resume. */
export interface TopologyJob {
  run(model: ChannelModel): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class SharedConnection {
  readonly settings: ConnectSettings;
  readonly #log: Logger;
  readonly #events = new EventEmitter();
  readonly #manager: AmqpConnectionManager;
  readonly #users = new Set<ChannelUser>();
  readonly #topology: TopologyJob[] = [];
  readonly #waiters = new Set<Waiter>();
  #model: ChannelModel | undefined;
  #gen = 0;
  #ready = false;
  #attempt = 0;
  #connectedOnce = false;
  #refusedInARow = 0;
  #failure: Error | undefined;
  #closed = false;
  #lastError = '';
  /** Leases holding it; the registry closes it when this drops to 0. */
  leases = 0;
  readonly stats = { connects: 0, disconnects: 0, connectFailures: 0 };

  constructor(settings: ConnectSettings, log: Logger) {
    this.settings = settings;
    this.#log = log;
    this.#events.setMaxListeners(0);
    this.#manager = new AmqpConnectionManagerClass(settings.brokers.map((b) => b.connect as Options.Connect), {
      heartbeatIntervalInSeconds: settings.heartbeat,
      reconnectTimeInSeconds: settings.minBackoffMs / 1000,
      connectionOptions: settings.socketOptions as never,
    });
    this.#manager.on('connect', ({ connection }) => this.#connected(connection as unknown as ChannelModel));
    this.#manager.on('connectFailed', ({ err }) => this.#connectFailed(err));
    this.#manager.on('disconnect', ({ err }) => this.#disconnected(err));
    this.#manager.on('blocked', ({ reason }) => {
      this.#log.warn('amqp broker blocked publishing (resource alarm)', this.#fields({ reason }));
      this.#events.emit('blocked', { reason });
    });
    this.#manager.on('unblocked', () => {
      this.#log.info('amqp broker unblocked publishing', this.#fields());
      this.#events.emit('unblocked', {});
    });
    // the manager's first connect() promise only reports what our listeners already handle
    this.#manager.connect().catch(() => undefined);
  }

  get label(): string {
    return this.settings.label;
  }

  get connected(): boolean {
    return this.#ready;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  get publicStats(): AmqpConnectionStats {
    return { ...this.stats };
  }

  /** The connection of `gen` is still the ready one. */
  isCurrent(gen: number): boolean {
    return this.#ready && this.#gen === gen && !this.#closed;
  }

  on(event: AmqpConnectionEvent, listener: (info: unknown) => void): () => void {
    this.#events.on(event, listener);
    return () => this.#events.off(event, listener);
  }

  /** Adds a channel user; told `ready` at once when the connection is up. */
  attach(user: ChannelUser): () => void {
    this.#users.add(user);
    if (this.#failure) user.failed(this.#failure);
    else if (this.#ready && this.#model) user.ready(this.#model, this.#gen);
    return () => this.#users.delete(user);
  }

  /** Adds a topology job for every later connect; runs it now when connected (its promise is the caller's). */
  addTopology(job: TopologyJob): { now: Promise<void> | undefined; remove: () => void } {
    this.#topology.push(job);
    const remove = (): void => {
      const i = this.#topology.indexOf(job);
      if (i >= 0) this.#topology.splice(i, 1);
    };
    return { now: this.#ready && this.#model ? job.run(this.#model) : undefined, remove };
  }

  /** Declares every registered topology again, in order (after a reconnect, or when the broker cancelled a consumer). */
  async redeclare(model: ChannelModel, gen = this.#gen): Promise<void> {
    for (const job of [...this.#topology]) {
      if (this.#gen !== gen || this.#closed) return;
      try {
        await job.run(model);
      } catch (err) {
        // the caller's first declare() already reported its failure; a later one (someone changed the queue) is logged
        this.#log.error('amqp topology declare failed', this.#fields({ error: safeText(err, this.settings.secrets) }));
      }
    }
  }

  whenConnected(timeoutMs?: number): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#ready) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.#waiters.add(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#waiters.delete(waiter);
          const tried = this.settings.brokers.map((b) => b.where).join(', ');
          reject(new AmqpUnreachableError(`amqp ${this.label}: not connected within ${timeoutMs} ms (tried ${tried})${this.#lastError ? `: ${this.#lastError}` : ''}`));
        }, timeoutMs);
      }
    });
  }

  /** Closes the connection (the registry calls it once the last lease is gone). Never hangs: `graceMs` at most. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = false;
    const err = this.#closedError();
    this.#rejectWaiters(err);
    for (const user of [...this.#users]) user.failed(err);
    this.#users.clear();
    const model = this.#model;
    this.#model = undefined;
    // the manager's close() waits for an attempt in flight, and for the retry wait that attempt's failure starts
    this.#manager.reconnectTimeInSeconds = 0;
    await within(this.#manager.close(), graceMs);
    if (model) await shutdownModel(model, 0);
    this.#manager.removeAllListeners();
  }

  #connected(model: ChannelModel): void {
    if (this.#closed || this.#failure) {
      void shutdownModel(model);
      return;
    }
    const gen = ++this.#gen;
    this.#model = model;
    model.on('error', (err: Error) => this.#log.warn('amqp connection error', this.#fields({ error: safeText(err, this.settings.secrets) })));
    const again = this.#connectedOnce;
    this.#connectedOnce = true;
    this.#refusedInARow = 0;
    this.stats.connects++;
    if (again || this.#attempt > 0) this.#log.info('amqp connected', this.#fields({ attempts: this.#attempt + 1 }));
    this.#attempt = 0;
    this.#manager.reconnectTimeInSeconds = this.settings.minBackoffMs / 1000;
    void this.#declareThenResume(model, gen);
  }

  /** Topology first (in declare order), then consumers, then publishers. */
  async #declareThenResume(model: ChannelModel, gen: number): Promise<void> {
    await this.redeclare(model, gen);
    if (this.#gen !== gen || this.#closed || this.#model !== model) return;
    this.#ready = true;
    const users = [...this.#users];
    for (const kind of ['consumer', 'publisher'] as const) for (const u of users) if (u.kind === kind) u.ready(model, gen);
    for (const w of [...this.#waiters]) w.resolve();
    this.#waiters.clear();
    this.#events.emit('connect', { where: this.#where() });
  }

  #disconnected(err: unknown): void {
    const gen = this.#gen;
    this.#gen++; // whatever was running for the lost connection stops at its next check
    const model = this.#model;
    this.#model = undefined;
    this.#ready = false;
    if (model) void shutdownModel(model);
    if (this.#closed) return;
    this.stats.disconnects++;
    this.#manager.reconnectTimeInSeconds = this.#nextDelay() / 1000;
    const error = err === undefined ? 'closed' : safeText(err, this.settings.secrets);
    this.#log.warn('amqp connection lost; reconnecting', this.#fields({ error }));
    for (const u of [...this.#users]) u.lost(gen);
    this.#events.emit('disconnect', { error });
  }

  #connectFailed(err: unknown): void {
    if (this.#closed) return;
    this.stats.connectFailures++;
    this.#lastError = safeText(err, this.settings.secrets);
    if (isLoginRefused(err)) {
      this.#refusedInARow++;
      // every broker of the list refused before we ever got in: waiting will not fix the credentials
      if (!this.#connectedOnce && this.#refusedInARow >= this.settings.brokers.length) {
        this.#fail();
        return;
      }
    } else {
      this.#refusedInARow = 0;
    }
    const delay = this.#nextDelay();
    this.#manager.reconnectTimeInSeconds = delay / 1000;
    if (this.#attempt === 1 || this.#attempt % 10 === 0) {
      const fields = this.#fields({ attempt: this.#attempt, retryInMs: delay, error: this.#lastError });
      if (isLoginRefused(err)) this.#log.error('amqp login refused: check the user name, password and vhost; retrying', fields);
      else this.#log.warn('amqp connect failed; retrying', fields);
    }
  }

  #nextDelay(): number {
    const delay = backoffDelay(this.#attempt, this.settings.minBackoffMs, this.settings.maxBackoffMs);
    this.#attempt++;
    return delay;
  }

  #fail(): void {
    const vhosts = [...new Set(this.settings.brokers.map((b) => b.connect.vhost ?? '/'))].join(', ');
    const where = this.settings.brokers.map((b) => `${b.connect.hostname}:${b.connect.port}`).join(', ');
    const failure = new AmqpLoginRefusedError(
      `amqp ${this.label}: ${where} refused the login (check the user name, password and vhost "${vhosts}")`,
      { cause: new Error(this.#lastError) },
    );
    this.#failure = failure;
    this.#rejectWaiters(failure);
    for (const u of [...this.#users]) u.failed(failure);
    this.#events.emit('failed', failure);
    this.#manager.reconnectTimeInSeconds = 0;
    void within(this.#manager.close(), 2000);
  }

  #rejectWaiters(err: Error): void {
    for (const w of [...this.#waiters]) w.reject(err);
    this.#waiters.clear();
  }

  #closedError(): Error {
    return this.#failure ?? new AmqpClosedError(`amqp ${this.label}: the connection was closed`);
  }

  #where(): string {
    return this.settings.brokers.length === 1 ? (this.settings.brokers[0]?.where ?? '') : this.label;
  }

  #fields(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { connection: this.label, ...this.settings.logFields, ...extra };
  }
}
