/**
 * A publisher on its own ConfirmChannel of a shared connection.
 *
 * - `publish` resolves only when the broker confirmed the message.
 * - Messages wait in one FIFO until confirmed. While disconnected they are held there (at most `bufferSize`;
 *   beyond that `publish` waits for room instead of dropping) and sent in order once the connection is back.
 * - A connection lost with messages sent but not confirmed re-sends them, in order, from the first unconfirmed:
 *   at-least-once (a consumer may see a duplicate with the same messageId after an outage, never a gap).
 * - A nack is retried (after a short backoff, so a full `x-overflow: reject-publish` queue can drain) up to
 *   `maxRetries` times, then rejects with TSPOP_ERR_AMQP_NACK. A channel the broker closed because of a message
 *   (`404 no exchange`) counts against that message the same way, then TSPOP_ERR_AMQP_CHANNEL; the channel is
 *   re-opened for the rest.
 * - `mandatory` messages the broker returned (unroutable) reject with TSPOP_ERR_AMQP_RETURNED once confirmed.
 */
import type { ChannelModel, ConfirmChannel, Message, Options } from 'amqplib';
import { backoffDelay } from '../../../src/backoff.ts';
import { within } from '../../../src/with-timeout.ts';
import type { Logger } from '../../../src/types.ts';
import { AmqpChannelError, AmqpClosedError, AmqpNackError, AmqpOptionsError, AmqpReturnedError } from '../_errors.ts';
import { missingExchangeOf, replyCodeOf, replyTextOf, safeText } from './broker-error.ts';
import type { ChannelUser, SharedConnection } from './shared-connection.ts';
import type { AmqpPublishOptions, AmqpPublisher, AmqpPublisherStats, AmqpReturnInfo } from './types.ts';

interface Entry {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  readonly options: Options.Publish;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  /** Channel generation it was last sent on; 0 = not sent on the current channel. */
  gen: number;
  /** Settled, or moved to a later slot (a retry): skipped wherever it still sits. */
  done: boolean;
  /** Retries used on nacks and channel errors it caused. */
  attempts: number;
  returned: AmqpReturnInfo | undefined;
}

const PERSISTENT: Options.Publish = Object.freeze({ persistent: true }) as Options.Publish;

export interface ConfirmPublisherOptions {
  readonly label: string;
  readonly bufferSize: number;
  readonly maxRetries: number;
}

export class ConfirmPublisher implements AmqpPublisher, ChannelUser {
  readonly kind = 'publisher' as const;
  readonly label: string;
  readonly #conn: SharedConnection;
  readonly #log: Logger;
  readonly #bufferSize: number;
  readonly #maxRetries: number;
  readonly #detach: () => void;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #failure: Error | undefined;
  /** Unconfirmed messages in send order; `#head` skips settled ones at the front. */
  #entries: Entry[] = [];
  #head = 0;
  /** Index of the first entry not yet sent on the current channel. */
  #next = 0;
  /** Messages not settled (buffered, in flight or waiting to be retried): bounded by `bufferSize`. */
  #open = 0;
  /** Calls waiting for room, in call order. */
  readonly #parked: Entry[] = [];
  readonly #retrying = new Set<NodeJS.Timeout>();
  /** Entries waiting out a retry backoff (in no slot yet), so close() can fail them. */
  readonly #retryEntries = new Set<Entry>();
  #ch: ConfirmChannel | undefined;
  #chGen = 0;
  #connGen = -1;
  #opening = false;
  #writable = true;
  #channelFailures = 0;
  #reopenTimer: NodeJS.Timeout | undefined;
  #lastChannelError: unknown;
  readonly #idleWaiters: Array<() => void> = [];
  readonly #stats = { published: 0, confirmed: 0, resent: 0, nacked: 0, returned: 0 };

  constructor(conn: SharedConnection, log: Logger, opts: ConfirmPublisherOptions) {
    this.#conn = conn;
    this.#log = log;
    this.label = opts.label;
    this.#bufferSize = opts.bufferSize;
    this.#maxRetries = opts.maxRetries;
    this.#detach = conn.attach(this);
  }

  get pending(): number {
    return this.#open + this.#parked.length;
  }

  get stats(): AmqpPublisherStats {
    return { ...this.#stats };
  }

  publish(exchange: string, routingKey: string, body: Buffer | string, options?: AmqpPublishOptions): Promise<void> {
    if (this.#state !== 'open') return Promise.reject(this.#failure ?? new AmqpClosedError(`amqp publisher ${this.label} is closed; the message was not sent`));
    const content = typeof body === 'string' ? Buffer.from(body) : body;
    if (!Buffer.isBuffer(content) || typeof exchange !== 'string' || typeof routingKey !== 'string') {
      return Promise.reject(new AmqpOptionsError(`amqp publisher ${this.label}: publish(exchange, routingKey, body) takes two strings and a Buffer or string`));
    }
    const opts = options === undefined ? PERSISTENT : options.persistent === undefined ? { ...options, persistent: true } : options;
    return new Promise<void>((resolve, reject) => {
      const e: Entry = { exchange, routingKey, body: content, options: opts as Options.Publish, resolve, reject, gen: 0, done: false, attempts: 0, returned: undefined };
      if (this.#parked.length > 0 || this.#open >= this.#bufferSize) this.#parked.push(e);
      else this.#append(e);
    });
  }

  /** Waits up to `drainMs` for every pending message to be confirmed, then rejects the rest and closes the channel. Idempotent. */
  async close(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'open') {
      this.#state = 'closing';
      if (this.pending > 0) await this.#waitIdle(opts.drainMs ?? 10_000);
    }
    this.#shut(new AmqpClosedError(`amqp publisher ${this.label} closed with the message unconfirmed`));
    const ch = this.#ch;
    this.#ch = undefined;
    this.#chGen++;
    // amqplib's channel close waits for close-ok forever when the socket died under it
    if (ch) await within(ch.close().catch(() => undefined), 1000);
  }

  // ── ChannelUser ────────────────────────────────────────────────────────────

  ready(model: ChannelModel, connGen: number): void {
    this.#connGen = connGen;
    this.#channelFailures = 0;
    void this.#openChannel(model, connGen);
  }

  lost(connGen: number): void {
    if (this.#connGen === connGen) this.#channelGone(this.#chGen);
  }

  failed(err: Error): void {
    if (this.#state === 'closed') return;
    this.#failure = err;
    this.#shut(err);
  }

  // ── sending ────────────────────────────────────────────────────────────────

  #append(e: Entry): void {
    this.#entries.push(e);
    this.#open++;
    this.#stats.published++;
    this.#pump();
  }

  /** Sends every entry not yet sent on the current channel, in order, until the socket asks us to wait. */
  #pump(): void {
    const ch = this.#ch;
    if (!ch || this.#state === 'closed' || !this.#writable) return;
    const gen = this.#chGen;
    while (this.#next < this.#entries.length) {
      const e = this.#entries[this.#next] as Entry;
      this.#next++;
      if (e.done) continue;
      e.gen = gen;
      let ok: boolean;
      try {
        ok = ch.publish(e.exchange, e.routingKey, e.body, e.options, (err: unknown) => this.#confirmed(e, gen, err));
      } catch (err) {
        e.gen = 0;
        if ((err as Error)?.name === 'IllegalOperationError') {
          // the channel closed under us: its close handler re-queues everything unconfirmed
          this.#next--;
          return;
        }
        this.#settle(e, new AmqpOptionsError(`amqp publisher ${this.label}: amqplib refused the message for ${target(e)}: ${safeText(err, [])}`, { cause: err }));
        continue;
      }
      if (!ok) {
        this.#writable = false;
        return;
      }
    }
  }

  #confirmed(e: Entry, gen: number, err: unknown): void {
    if (e.done || e.gen !== gen) return;
    if (err === null || err === undefined) {
      this.#stats.confirmed++;
      if (e.returned) {
        this.#stats.returned++;
        const r = e.returned;
        this.#settle(e, Object.assign(new AmqpReturnedError(`amqp publisher ${this.label}: the broker returned an unroutable message for ${target(e)} (${r.replyCode} ${r.replyText})`), r));
      } else {
        this.#settle(e);
      }
      return;
    }
    // amqplib reports a nack and a closing channel the same way; the close handler runs in the same tick and marks
    // the entry for resending, so decide once it has had its turn
    queueMicrotask(() => {
      if (e.done || e.gen !== gen || this.#chGen !== gen) return;
      this.#stats.nacked++;
      this.#retryOrFail(e, (m) => new AmqpNackError(m, { cause: err }), 'nacked');
    });
  }

  /** Uses one retry of `e` (re-sent at the end of the queue after a backoff), or rejects it when none is left. */
  #retryOrFail(e: Entry, makeError: (message: string) => Error, what: string): void {
    if (e.attempts >= this.#maxRetries) {
      this.#settle(e, makeError(`amqp publisher ${this.label}: the broker ${what} a message for ${target(e)} ${e.attempts + 1} times`));
      return;
    }
    // the old slot stays behind as done; a fresh entry keeps the promise and the room it holds in the buffer
    e.done = true;
    const again: Entry = { ...e, gen: 0, done: false, attempts: e.attempts + 1, returned: undefined };
    const timer = setTimeout(() => {
      this.#retrying.delete(timer);
      if (this.#state === 'closed' || again.done) return;
      this.#retryEntries.delete(again);
      this.#entries.push(again);
      this.#stats.resent++;
      this.#pump();
    }, backoffDelay(e.attempts, 50, 2000));
    this.#retrying.add(timer);
    this.#retryEntries.delete(e);
    this.#retryEntries.add(again);
  }

  #settle(e: Entry, err?: Error): void {
    e.done = true;
    this.#retryEntries.delete(e);
    this.#open--;
    this.#compact();
    this.#admit();
    if (err) e.reject(err);
    else e.resolve();
    if (this.#open === 0 && this.#parked.length === 0) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #compact(): void {
    while (this.#head < this.#next && (this.#entries[this.#head] as Entry).done) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#next -= this.#head;
      this.#head = 0;
    }
  }

  #admit(): void {
    while (this.#parked.length > 0 && this.#open < this.#bufferSize) this.#append(this.#parked.shift() as Entry);
  }

  #waitIdle(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const i = this.#idleWaiters.indexOf(done);
        if (i >= 0) this.#idleWaiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#idleWaiters.push(done);
    });
  }

  /** Rejects everything still pending with `err` and stops for good. */
  #shut(err: Error): void {
    this.#state = 'closed';
    this.#detach();
    clearTimeout(this.#reopenTimer);
    for (const t of this.#retrying) clearTimeout(t);
    this.#retrying.clear();
    const pending = [...this.#entries.slice(this.#head).filter((e) => !e.done), ...this.#retryEntries, ...this.#parked.splice(0)];
    this.#entries = [];
    this.#retryEntries.clear();
    this.#head = this.#next = this.#open = 0;
    for (const e of pending) {
      e.done = true;
      e.reject(err);
    }
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  // ── the channel ────────────────────────────────────────────────────────────

  async #openChannel(model: ChannelModel, connGen: number): Promise<void> {
    if (this.#state === 'closed' || this.#ch || this.#opening) return;
    this.#opening = true;
    let ch: ConfirmChannel;
    try {
      ch = await model.createConfirmChannel();
    } catch (err) {
      // the connection is going away: its next `ready` opens the channel; otherwise try again shortly
      if (this.#conn.isCurrent(connGen)) this.#reopenSoon(model, connGen, err);
      return;
    } finally {
      this.#opening = false;
    }
    if (this.#isClosed() || !this.#conn.isCurrent(connGen)) {
      await within(ch.close().catch(() => undefined), 1000);
      return;
    }
    const gen = ++this.#chGen;
    this.#lastChannelError = undefined;
    ch.on('error', (err: Error) => {
      this.#lastChannelError = err;
      this.#log.warn('amqp publisher channel closed by the broker', { publisher: this.label, error: safeText(err, this.#conn.settings.secrets) });
    });
    ch.on('drain', () => {
      if (this.#chGen !== gen) return;
      this.#writable = true;
      this.#pump();
    });
    ch.on('return', (msg: Message) => this.#returned(msg, gen));
    ch.on('close', () => this.#channelGone(gen, model, connGen));
    this.#ch = ch;
    this.#writable = true;
    this.#next = this.#head;
    this.#pump();
  }

  /** Marks the returned entry; its confirm (which follows the return) rejects it. */
  #returned(msg: Message, gen: number): void {
    const { exchange, routingKey, replyCode, replyText } = msg.fields as unknown as AmqpReturnInfo;
    for (let i = this.#head; i < this.#next; i++) {
      const e = this.#entries[i] as Entry;
      if (e.done || e.gen !== gen || e.returned || !e.options.mandatory || e.exchange !== exchange || e.routingKey !== routingKey) continue;
      if (!e.body.equals(msg.content)) continue;
      e.returned = { replyCode, replyText, exchange, routingKey };
      return;
    }
  }

  /**
   * The channel of generation `gen` went away: everything unconfirmed is re-sent. When the connection is still up
   * the broker closed just this channel because of a message: that message uses a retry, and the channel re-opens.
   */
  #channelGone(gen: number, model?: ChannelModel, connGen?: number): void {
    if (this.#chGen !== gen || !this.#ch) return;
    this.#chGen++;
    this.#ch = undefined;
    const cause = this.#lastChannelError;
    const channelError = cause !== undefined && replyCodeOf(cause) !== undefined && replyCodeOf(cause) !== 320;
    const culprit = channelError ? missingExchangeOf(cause) : undefined;
    // settling below may compact the array: work on a copy
    const sent = this.#entries.slice(this.#head).filter((e) => !e.done && e.gen !== 0);
    for (const e of sent) {
      e.gen = 0;
      e.returned = undefined;
      if (channelError && (culprit === undefined || culprit === e.exchange)) {
        this.#retryOrFail(e, (m) => new AmqpChannelError(`${m}: ${replyTextOf(cause)}`, { cause }), 'closed the channel over');
      } else {
        this.#stats.resent++;
      }
    }
    this.#next = this.#head;
    if (this.#state === 'closed' || model === undefined || connGen === undefined) return;
    // the connection's own close runs in this same tick: only a channel that died alone is re-opened here
    queueMicrotask(() => {
      if (this.#conn.isCurrent(connGen)) this.#reopenSoon(model, connGen, cause);
    });
  }

  /** A method, not a field test, so TypeScript does not narrow the state across awaits. */
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #reopenSoon(model: ChannelModel, connGen: number, cause: unknown): void {
    if (this.#state === 'closed' || this.#reopenTimer) return;
    const delay = backoffDelay(this.#channelFailures++, 50, this.#conn.settings.maxBackoffMs);
    this.#log.warn('amqp publisher channel lost; re-opening it', { publisher: this.label, retryInMs: delay, error: cause === undefined ? 'closed' : safeText(cause, this.#conn.settings.secrets) });
    this.#reopenTimer = setTimeout(() => {
      this.#reopenTimer = undefined;
      if (this.#conn.isCurrent(connGen)) void this.#openChannel(model, connGen);
    }, delay);
  }
}

function target(e: Entry): string {
  return e.exchange ? `exchange "${e.exchange}" routing key "${e.routingKey}"` : `queue "${e.routingKey}"`;
}
