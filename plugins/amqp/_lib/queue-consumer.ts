/**
 * A consumer on its own channel of a shared connection.
 *
 * - Re-subscribes after every reconnect (after the connection's topology was declared again), after its channel
 *   was closed alone, and after the broker cancelled it (queue deleted: the topology is declared again first).
 * - Acks a delivery only once its handler's promise fulfilled, on the channel that delivered it; a delivery whose
 *   channel died while its handler ran is left to the broker, which redelivers it.
 * - A failing handler: below `maxRedeliveries` the message is requeued (see AmqpConsumeOptions.onFailure); at the
 *   limit it is rejected without requeue, so the queue's dead-letter exchange gets it (with x-death), if any.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import { backoffDelay } from '../../../src/backoff.ts';
import { within, withTimeout } from '../../../src/with-timeout.ts';
import type { Logger } from '../../../src/types.ts';
import { AmqpHandlerError, AmqpTopologyError } from '../_errors.ts';
import { replyCodeOf, replyTextOf, safeText } from './broker-error.ts';
import { ConfirmPublisher } from './confirm-publisher.ts';
import type { ChannelUser, SharedConnection } from './shared-connection.ts';
import type { AmqpConsumer, AmqpConsumerStats, AmqpDelivery, AmqpHandler } from './types.ts';

/** Header counting failed handler runs on re-published copies; the original exchange and routing key travel along. */
export const REDELIVERIES_HEADER = 'x-tspop-redeliveries';
const EXCHANGE_HEADER = 'x-tspop-exchange';
const ROUTING_KEY_HEADER = 'x-tspop-routing-key';

export interface QueueConsumerOptions {
  readonly label: string;
  readonly prefetch: number;
  readonly noAck: boolean;
  readonly exclusive: boolean;
  readonly consumerTag: string | undefined;
  readonly arguments: Record<string, unknown> | undefined;
  readonly maxRedeliveries: number;
  readonly onFailure: 'requeue' | 'nack';
  readonly subscribeTimeoutMs: number;
}

/** basic.consume got no answer in time (the broker's channel is stuck, e.g. on a quorum queue without a leader). */
class SubscribeTimeout extends Error {}

export class QueueConsumer implements AmqpConsumer, ChannelUser {
  readonly kind = 'consumer' as const;
  readonly queue: string;
  readonly consumerTag: string;
  readonly #conn: SharedConnection;
  readonly #log: Logger;
  readonly #handler: AmqpHandler;
  readonly #o: QueueConsumerOptions;
  readonly #detach: () => void;
  readonly #stats = { delivered: 0, acked: 0, requeued: 0, rejected: 0, subscribes: 0 };
  #state: 'starting' | 'running' | 'cancelling' | 'done' = 'starting';
  #ch: Channel | undefined;
  #connGen = -1;
  #model: ChannelModel | undefined;
  #opening = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastChannelError: unknown;
  #inflight = 0;
  readonly #idle: Array<() => void> = [];
  #requeuer: ConfirmPublisher | undefined;
  /** Settles with the first subscribe: consume() waits for it. */
  readonly subscribed: Promise<void>;
  #settleFirst!: (err?: Error) => void;

  constructor(conn: SharedConnection, log: Logger, queue: string, handler: AmqpHandler, opts: QueueConsumerOptions) {
    this.#conn = conn;
    this.#log = log;
    this.queue = queue;
    this.#handler = handler;
    this.#o = opts;
    this.consumerTag = opts.consumerTag ?? `tspop.${randomUUID()}`;
    this.subscribed = new Promise<void>((resolve, reject) => {
      this.#settleFirst = (err) => (err ? reject(err) : resolve());
    });
    this.subscribed.catch(() => undefined); // consume() reports it; a later failure must not be unhandled
    this.#detach = conn.attach(this);
  }

  get stats(): AmqpConsumerStats {
    return { ...this.#stats };
  }

  async cancel(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.#state === 'done' || this.#state === 'cancelling') return;
    const first = this.#state === 'starting';
    this.#state = 'cancelling';
    clearTimeout(this.#timer);
    const ch = this.#ch;
    if (ch) await within(ch.cancel(this.consumerTag).catch(() => undefined), 1000);
    if (this.#inflight > 0) await this.#waitIdle(opts.drainMs ?? 10_000);
    await this.#requeuer?.close({ drainMs: 1000 });
    this.#stop();
    if (ch) await within(ch.close().catch(() => undefined), 1000);
    if (first) this.#settleFirst(new AmqpTopologyError(`amqp consumer ${this.#o.label}: cancelled before it subscribed to queue "${this.queue}"`));
  }

  // ── ChannelUser ────────────────────────────────────────────────────────────

  ready(model: ChannelModel, connGen: number): void {
    this.#connGen = connGen;
    this.#model = model;
    this.#failures = 0;
    void this.#subscribe(model, connGen);
  }

  lost(connGen: number): void {
    if (this.#connGen === connGen) this.#ch = undefined;
  }

  failed(err: Error): void {
    if (this.#state === 'done') return;
    this.#stop();
    this.#settleFirst(err);
  }

  // ── subscribing ────────────────────────────────────────────────────────────

  async #subscribe(model: ChannelModel, connGen: number): Promise<void> {
    if (this.#ch || this.#opening || !this.#active()) return;
    this.#opening = true;
    let ch: Channel | undefined;
    try {
      ch = await model.createChannel();
      const opened = ch;
      opened.on('error', (err: Error) => (this.#lastChannelError = err));
      opened.on('close', () => this.#channelGone(opened, model, connGen));
      if (!this.#o.noAck) await opened.prefetch(this.#o.prefetch);
      const options: Options.Consume = { noAck: this.#o.noAck, exclusive: this.#o.exclusive, consumerTag: this.consumerTag, arguments: this.#o.arguments };
      this.#ch = opened;
      // amqplib waits for consume-ok for ever; a broker that never answers must not hang consume() or a re-subscribe
      await withTimeout(opened.consume(this.queue, (msg) => this.#deliver(opened, msg), options), this.#o.subscribeTimeoutMs,
        `basic.consume on queue "${this.queue}"`, (m) => new SubscribeTimeout(m));
    } catch (err) {
      if (ch && this.#ch === ch) this.#ch = undefined;
      if (ch) void within(ch.close().catch(() => undefined), 1000);
      this.#opening = false;
      const cause = this.#lastChannelError ?? err;
      if (this.#state === 'starting' && err instanceof SubscribeTimeout) {
        this.#stop();
        this.#settleFirst(new AmqpTopologyError(`amqp consumer ${this.#o.label}: the broker did not answer basic.consume on queue "${this.queue}" within ${this.#o.subscribeTimeoutMs} ms (a quorum queue without a leader does that)`, { cause }));
        return;
      }
      if (this.#state === 'starting' && (replyCodeOf(cause) === 404 || replyCodeOf(cause) === 403 || replyCodeOf(cause) === 405)) {
        // the first subscribe names the problem to the caller instead of retrying a queue that is not there
        this.#stop();
        this.#settleFirst(Object.assign(new AmqpTopologyError(`amqp consumer ${this.#o.label}: cannot consume from queue "${this.queue}": ${safeText(replyTextOf(cause), this.#conn.settings.secrets)}`, { cause }), { replyCode: replyCodeOf(cause) }));
        return;
      }
      // 404/405: the queue is missing or still locked by our previous connection (an exclusive queue outlives a reset
      // socket until the broker notices): declare the topology again before the next try
      const code = replyCodeOf(cause);
      if (this.#conn.isCurrent(connGen)) this.#retrySoon(cause, code === 404 || code === 405);
      return;
    }
    this.#opening = false;
    if (!this.#active() || !this.#conn.isCurrent(connGen)) {
      if (this.#ch === ch) this.#ch = undefined;
      void within(ch.close().catch(() => undefined), 1000);
      return;
    }
    this.#stats.subscribes++;
    this.#failures = 0;
    if (this.#state === 'starting') {
      this.#state = 'running';
      this.#settleFirst();
    }
  }

  /** The channel closed: after a reconnect `ready` re-subscribes; a channel that died alone re-opens here. */
  #channelGone(ch: Channel, model: ChannelModel, connGen: number): void {
    if (this.#ch === ch) this.#ch = undefined;
    // a subscribe in progress sees its own failure (the broker's close rejects its pending RPC) and retries knowing
    // the reply code (405/404: declare first); retrying from here would race it without that knowledge
    if (!this.#active() || this.#opening) return;
    const cause = this.#lastChannelError;
    this.#lastChannelError = undefined;
    // the connection's own close runs in this same tick
    queueMicrotask(() => {
      if (this.#conn.isCurrent(connGen) && this.#model === model && !this.#ch) this.#retrySoon(cause, false);
    });
  }

  /** Tries to subscribe again after a backoff; `redeclare` first declares the connection's topology again. */
  #retrySoon(cause: unknown, redeclare: boolean): void {
    if (!this.#active() || this.#timer) return;
    const delay = backoffDelay(this.#failures++, 50, this.#conn.settings.maxBackoffMs);
    if (this.#failures === 1 || this.#failures % 10 === 0) {
      this.#log.warn('amqp consumer lost its subscription; subscribing again', {
        consumer: this.#o.label, queue: this.queue, retryInMs: delay, error: cause === undefined ? 'channel closed' : safeText(cause, this.#conn.settings.secrets),
      });
    }
    const connGen = this.#connGen;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const model = this.#model;
      if (!model || !this.#conn.isCurrent(connGen)) return;
      void (redeclare ? this.#conn.redeclare(model) : Promise.resolve()).then(() => this.#subscribe(model, connGen));
    }, delay);
  }

  #active(): boolean {
    return this.#state === 'starting' || this.#state === 'running';
  }

  #stop(): void {
    this.#state = 'done';
    clearTimeout(this.#timer);
    this.#detach();
    void this.#requeuer?.close({ drainMs: 0 });
  }

  // ── deliveries ─────────────────────────────────────────────────────────────

  #deliver(ch: Channel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // the broker cancelled us (queue deleted or failed over): declare the topology again, then subscribe
      if (this.#ch === ch) this.#ch = undefined;
      void within(ch.close().catch(() => undefined), 1000);
      this.#retrySoon(new Error(`the broker cancelled the consumer of queue "${this.queue}"`), true);
      return;
    }
    this.#stats.delivered++;
    const delivery = toDelivery(msg);
    this.#inflight++;
    let result: unknown;
    try {
      result = this.#handler(delivery);
    } catch (err) {
      this.#finished(ch, msg, delivery, err);
      return;
    }
    if (result instanceof Promise || (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function')) {
      Promise.resolve(result).then(() => this.#finished(ch, msg, delivery, undefined, true), (err: unknown) => this.#finished(ch, msg, delivery, err ?? new Error('handler rejected')));
    } else {
      this.#finished(ch, msg, delivery, undefined, true);
    }
  }

  #finished(ch: Channel, msg: ConsumeMessage, delivery: AmqpDelivery, err: unknown, ok = false): void {
    try {
      if (this.#o.noAck) {
        if (!ok) this.#log.warn('amqp handler failed (no-ack consumer: the message is gone)', this.#failFields(delivery, err));
        return;
      }
      if (ok) {
        if (this.#usable(ch)) {
          ch.ack(msg);
          this.#stats.acked++;
        }
        return;
      }
      this.#onFailure(ch, msg, delivery, err);
    } finally {
      this.#inflight--;
      if (this.#inflight === 0) for (const w of this.#idle.splice(0)) w();
    }
  }

  #onFailure(ch: Channel, msg: ConsumeMessage, delivery: AmqpDelivery, err: unknown): void {
    if (!this.#usable(ch)) return; // its channel is gone: the broker redelivers it
    if (delivery.redeliveries >= this.#o.maxRedeliveries) {
      ch.nack(msg, false, false);
      this.#stats.rejected++;
      const e = new AmqpHandlerError(`amqp consumer ${this.#o.label}: handler failed ${delivery.redeliveries + 1} times on a message of queue "${this.queue}"; rejected (dead-lettered if the queue has a dead-letter exchange)`, { cause: err });
      this.#log.error(e.message, { ...this.#failFields(delivery, err), code: e.code });
      return;
    }
    this.#stats.requeued++;
    this.#log.warn('amqp handler failed; message requeued', this.#failFields(delivery, err));
    if (this.#o.onFailure === 'nack') {
      ch.nack(msg, false, true);
      return;
    }
    const headers = { ...msg.properties.headers, [REDELIVERIES_HEADER]: delivery.redeliveries + 1, [EXCHANGE_HEADER]: delivery.fields.exchange, [ROUTING_KEY_HEADER]: delivery.fields.routingKey };
    // the copy goes to this queue's tail; the original is acked only once the copy is safe
    this.#requeuePublisher().publish('', this.queue, msg.content, { ...publishProps(msg), headers }).then(
      () => {
        if (this.#usable(ch)) ch.ack(msg);
      },
      () => {
        if (this.#usable(ch)) ch.nack(msg, false, true);
      },
    );
  }

  #requeuePublisher(): ConfirmPublisher {
    this.#requeuer ??= new ConfirmPublisher(this.#conn, this.#log, { label: `${this.#o.label} requeue`, bufferSize: Math.max(100, this.#o.prefetch * 2), maxRetries: 3 });
    return this.#requeuer;
  }

  #usable(ch: Channel): boolean {
    return this.#ch === ch;
  }

  #failFields(d: AmqpDelivery, err: unknown): Record<string, unknown> {
    return { consumer: this.#o.label, queue: this.queue, redeliveries: d.redeliveries, messageId: d.properties.messageId, error: safeText(err, this.#conn.settings.secrets) };
  }

  #waitIdle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#idle.push(done);
    });
  }
}

/** The handler's view: the original exchange and routing key (also of a re-published copy) and the failure count. */
function toDelivery(msg: ConsumeMessage): AmqpDelivery {
  const headers = msg.properties.headers;
  const d = msg as ConsumeMessage & { redeliveries: number };
  if (headers === undefined) {
    // the common case: a first delivery without headers
    d.redeliveries = 0;
    return d;
  }
  const counted = headers[REDELIVERIES_HEADER] ?? headers['x-delivery-count'];
  const redeliveries = typeof counted === 'number' && Number.isFinite(counted) ? counted : 0;
  const exchange = headers[EXCHANGE_HEADER];
  if (typeof exchange !== 'string') {
    d.redeliveries = redeliveries;
    return d;
  }
  const routingKey = String(headers[ROUTING_KEY_HEADER] ?? msg.fields.routingKey);
  return Object.assign(msg, { redeliveries, fields: { ...msg.fields, exchange, routingKey } });
}

/** A delivery's properties as publish options (for the requeued copy). */
function publishProps(msg: ConsumeMessage): Options.Publish {
  const p = msg.properties;
  const out: Options.Publish = { persistent: p.deliveryMode === 2 };
  for (const k of ['contentType', 'contentEncoding', 'correlationId', 'replyTo', 'expiration', 'messageId', 'timestamp', 'type', 'userId', 'appId', 'priority'] as const) {
    const v = p[k] as unknown;
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
