/**
 * One AMQP profile's connection manager: a ConfirmChannel publisher that survives broker restarts.
 *
 * - `publish` resolves only when the broker confirmed the message on every target (queue or exchange).
 * - Messages wait in one FIFO until confirmed. While disconnected they are held there (at most `bufferSize`;
 *   beyond that `publish` waits instead of dropping) and sent in order once reconnected.
 * - A connection lost with messages sent but not confirmed re-sends them, in order, from the first unconfirmed:
 *   delivery is at-least-once, so a consumer may see a duplicate (same `messageId`) after an outage, never a gap.
 * - Reconnects use exponential backoff with jitter, capped at the profile's `max_backoff`.
 * Logs never carry the password; amqplib's errors do not include it either.
 */
import { connect, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { withTimeout, within } from '../../../src/with-timeout.ts';
import { describeError } from '../../../src/errors.ts';
import { EvbusAmqpClosedError, EvbusAmqpNackError } from '../../evbus/_errors.ts';
import type { Logger } from '../../../src/types.ts';
import type { AmqpProfile, AmqpTarget } from './amqp-profile.ts';
import { backoffDelay } from '../../../src/backoff.ts';

/** Message properties a caller may set (the rest are fixed: persistent delivery). */
export interface AmqpMessageProps {
  contentType?: string;
  messageId?: string;
  /** Seconds since the epoch, as AMQP wants. */
  timestamp?: number;
  headers?: Record<string, unknown>;
}

interface Entry {
  readonly target: AmqpTarget;
  readonly body: Buffer;
  readonly options: Options.Publish;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  /** Channel generation it was last sent on; 0 = not sent on the current channel. */
  gen: number;
  done: boolean;
}

type State = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

export class AmqpPublisher {
  readonly profile: AmqpProfile;
  readonly #log: Logger;
  #state: State = 'idle';
  /** Unconfirmed messages in send order; `#head` skips confirmed ones at the front. */
  #entries: Entry[] = [];
  #head = 0;
  /** Index of the first entry not yet sent on the current channel. */
  #next = 0;
  /** Entries not done (confirmed or failed): bounded by `bufferSize`. */
  #open = 0;
  /** Publishers waiting for room, each with its entries, in call order. */
  readonly #parked: Entry[][] = [];
  #conn: ChannelModel | undefined;
  #ch: ConfirmChannel | undefined;
  #gen = 0;
  #writable = true;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #connectedWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  /** Counters for tests and diagnostics. */
  readonly stats = { published: 0, confirmed: 0, resent: 0, connects: 0, disconnects: 0 };

  /** Settles with the first connection attempt's error, or undefined once connected. */
  readonly #first: Promise<unknown>;
  #settleFirst: (outcome: unknown) => void = () => undefined;
  /** A caller awaits firstAttempt() and reports its outcome itself: attempt 1 is not logged twice. */
  #firstReported = false;

  constructor(profile: AmqpProfile, log: Logger) {
    this.profile = profile;
    this.#log = log;
    this.#first = new Promise((resolve) => (this.#settleFirst = resolve));
  }

  /**
   * Waits up to `ms` for the first connection attempt: its error, or undefined when it connected or is still
   * trying. A broker that is down is normal (we buffer and retry); a refused login is not, and the caller can say so
   * before any event is accepted.
   */
  async firstAttempt(ms: number): Promise<unknown> {
    this.#firstReported = true;
    return (await within(this.#first, ms)) ? this.#first : undefined;
  }

  /** Starts connecting in the background (publishing before the first connection just buffers). */
  start(): this {
    if (this.#state === 'idle' && !this.#timer) void this.#connect();
    return this;
  }

  get connected(): boolean {
    return this.#state === 'open';
  }

  /** Messages not yet confirmed (buffered or in flight). */
  get pending(): number {
    return this.#open;
  }

  /** Resolves once connected (or at once if connected). */
  waitConnected(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    return new Promise((resolve) => this.#connectedWaiters.push(resolve));
  }

  /** Sends `body` to every target of the profile; resolves when the broker confirmed all of them. */
  publish(body: Buffer | string, props: AmqpMessageProps = {}): Promise<void> {
    if (this.#state === 'closing' || this.#state === 'closed') {
      return Promise.reject(new EvbusAmqpClosedError(`amqp profile ${this.profile.label} is closed; the message was not sent`));
    }
    const content = typeof body === 'string' ? Buffer.from(body) : body;
    const options: Options.Publish = {
      persistent: true, contentType: props.contentType, messageId: props.messageId, timestamp: props.timestamp, headers: props.headers,
    };
    const targets = this.profile.targets;
    if (targets.length === 1) {
      // the common case, kept free of per-message arrays
      return new Promise<void>((resolve, reject) => {
        this.#enqueue([{ target: targets[0] as AmqpTarget, body: content, options, resolve, reject, gen: 0, done: false }]);
      });
    }
    const entries: Entry[] = [];
    const promises = targets.map((target) => new Promise<void>((resolve, reject) => {
      entries.push({ target, body: content, options, resolve, reject, gen: 0, done: false });
    }));
    this.#enqueue(entries);
    return Promise.all(promises).then(() => undefined);
  }

  #enqueue(entries: Entry[]): void {
    if (this.#parked.length > 0 || this.#open + entries.length > this.profile.bufferSize) this.#parked.push(entries);
    else this.#append(entries);
  }

  /**
   * Waits (up to `timeoutMs`) for every buffered message to be confirmed, then closes the connection. Messages
   * still unconfirmed after that are rejected with TSPOP_ERR_EVBUS_AMQP_CLOSED. Idempotent.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state !== 'closing') {
      this.#state = 'closing';
      if (this.#open > 0 || this.#parked.length > 0) await this.#waitIdle(timeoutMs);
    }
    this.#state = 'closed';
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const err = new EvbusAmqpClosedError(`amqp profile ${this.profile.label} closed with the message unconfirmed`);
    for (let i = this.#head; i < this.#entries.length; i++) {
      const e = this.#entries[i] as Entry;
      if (!e.done) {
        e.done = true;
        e.reject(err);
      }
    }
    for (const group of this.#parked.splice(0)) for (const e of group) e.reject(err);
    this.#entries = [];
    this.#head = this.#next = this.#open = 0;
    const conn = this.#conn;
    this.#conn = this.#ch = undefined;
    if (conn) await shutdown(conn);
  }

  #append(entries: Entry[]): void {
    for (const e of entries) this.#entries.push(e);
    this.#open += entries.length;
    this.stats.published += entries.length;
    this.#pump();
  }

  /** Sends every entry not yet sent on the current channel, in order, until the socket asks us to wait. */
  #pump(): void {
    const ch = this.#ch;
    if (!ch || (this.#state !== 'open' && this.#state !== 'closing') || !this.#writable) return;
    const gen = this.#gen;
    while (this.#next < this.#entries.length) {
      const e = this.#entries[this.#next] as Entry;
      this.#next++;
      if (e.done) continue;
      e.gen = gen;
      let ok: boolean;
      try {
        ok = ch.publish(e.target.exchange, e.target.routingKey, e.body, e.options, (err: unknown) => this.#confirmed(e, gen, err));
      } catch (err) {
        // the channel closed under us: its close handler re-queues everything unconfirmed
        e.gen = 0;
        this.#next--;
        this.#log.warn('amqp publish failed; will resend after reconnect', { profile: this.profile.label, error: describeError(err) });
        return;
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
      this.#finish(e);
      this.stats.confirmed++;
      e.resolve();
      return;
    }
    // amqplib reports both a nack and a closing channel this way; the close handler runs in the same tick and
    // marks the entry for resending, so decide once it has had its turn
    queueMicrotask(() => {
      if (e.done || e.gen !== gen || this.#gen !== gen) return;
      this.#finish(e);
      e.reject(new EvbusAmqpNackError(`broker refused (nack) a message for amqp profile ${this.profile.label} (${e.target.exchange || 'queue'} ${e.target.routingKey})`, { cause: err }));
    });
  }

  #finish(e: Entry): void {
    e.done = true;
    this.#open--;
    while (this.#head < this.#next && (this.#entries[this.#head] as Entry).done) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#next -= this.#head;
      this.#head = 0;
    }
    this.#admit();
    if (this.#open === 0 && this.#parked.length === 0) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #admit(): void {
    while (this.#parked.length > 0) {
      const group = this.#parked[0] as Entry[];
      if (this.#open + group.length > this.profile.bufferSize && this.#open > 0) return;
      this.#parked.shift();
      this.#append(group);
    }
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

  async #connect(): Promise<void> {
    this.#timer = undefined;
    if (this.#state === 'closed') return;
    const wasClosing = this.#state === 'closing';
    if (!wasClosing) this.#state = 'connecting';
    const p = this.profile;
    let conn: ChannelModel | undefined;
    try {
      conn = await connect(
        { protocol: p.tls ? 'amqps' : 'amqp', hostname: p.host, port: p.port, username: p.username, password: p.password, vhost: p.vhost, heartbeat: p.heartbeat },
        { timeout: p.connectTimeoutMs, clientProperties: { connection_name: `tspop-evbus ${p.label}` }, ...p.tls, ca: p.tls?.ca as string | string[] | undefined },
      );
      conn.on('error', (err: Error) => this.#log.warn('amqp connection error', { profile: p.label, error: err.message }));
      conn.on('blocked', (reason: string) => this.#log.warn('amqp broker blocked publishing (resource alarm)', { profile: p.label, reason }));
      conn.on('unblocked', () => this.#log.info('amqp broker unblocked publishing', { profile: p.label }));
      const ch = await withTimeout(this.#setup(conn), p.connectTimeoutMs, 'declaring queues and opening the confirm channel', (m) => new Error(m));
      if (this.#closed()) {
        await shutdown(conn);
        return;
      }
      const gen = ++this.#gen;
      ch.on('error', (err: Error) => this.#log.warn('amqp channel error', { profile: p.label, error: err.message }));
      ch.on('drain', () => {
        if (this.#gen !== gen) return;
        this.#writable = true;
        this.#pump();
      });
      ch.on('close', () => this.#lost(gen, conn as ChannelModel));
      conn.on('close', () => this.#lost(gen, conn as ChannelModel));
      this.#conn = conn;
      this.#ch = ch;
      this.#writable = true;
      this.#state = this.#state === 'closing' ? 'closing' : 'open';
      if (this.stats.connects > 0 || this.#attempt > 0) {
        this.#log.info('amqp connected', { profile: p.label, resending: this.#open, attempts: this.#attempt + 1 });
      }
      this.stats.connects++;
      this.#attempt = 0;
      this.#settleFirst(undefined);
      for (const w of this.#connectedWaiters.splice(0)) w();
      this.#pump();
    } catch (err) {
      if (conn) await shutdown(conn);
      this.#settleFirst(err);
      if (this.#closed()) return;
      if (this.#state === 'connecting') this.#state = 'idle';
      this.#retry(err);
    }
  }

  async #setup(conn: ChannelModel): Promise<ConfirmChannel> {
    await this.#declare(conn);
    return conn.createConfirmChannel();
  }

  /** Queues are declared durable when missing; an exchange must already exist (its type is not ours to choose). */
  async #declare(conn: ChannelModel): Promise<void> {
    const p = this.profile;
    if (p.exchange) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined); // a missing exchange closes this channel with 404; the rejection says so
      await ch.checkExchange(p.exchange);
      await ch.close();
      return;
    }
    for (const queue of p.queues) {
      const probe = await conn.createChannel();
      probe.on('error', () => undefined); // a missing queue closes the probe channel with 404: expected
      try {
        await probe.checkQueue(queue);
        await probe.close();
      } catch {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await ch.assertQueue(queue, { durable: true });
        await ch.close();
      }
    }
  }

  /** The channel or connection of generation `gen` went away: everything unconfirmed is resent after reconnecting. */
  #lost(gen: number, conn: ChannelModel): void {
    if (this.#gen !== gen || this.#conn !== conn) return;
    this.#gen++;
    this.#conn = this.#ch = undefined;
    void shutdown(conn);
    for (let i = this.#head; i < this.#entries.length; i++) {
      const e = this.#entries[i] as Entry;
      if (!e.done && e.gen !== 0) {
        e.gen = 0;
        this.stats.resent++;
      }
    }
    this.#next = this.#head;
    this.stats.disconnects++;
    if (this.#state === 'closed') return;
    this.#log.warn('amqp connection lost; buffering and reconnecting', { profile: this.profile.label, unconfirmed: this.#open });
    if (this.#state === 'open') this.#state = 'idle';
    this.#retry(undefined);
  }

  /** A method, not a field test, so TypeScript does not narrow the state across awaits. */
  #closed(): boolean {
    return this.#state === 'closed';
  }

  #retry(err: unknown): void {
    const delay = backoffDelay(this.#attempt, this.profile.minBackoffMs, this.profile.maxBackoffMs);
    this.#attempt++;
    const reportedByCaller = this.#attempt === 1 && this.#firstReported;
    if (err !== undefined && !reportedByCaller && (this.#attempt === 1 || this.#attempt % 10 === 0)) {
      const fields = { profile: this.profile.label, attempt: this.#attempt, retryInMs: delay, error: describeError(err) };
      // a refused login will not fix itself by waiting: say so loudly, but keep retrying (an admin may fix it)
      if (/ACCESS_REFUSED|403/.test(describeError(err))) {
        this.#log.error('amqp login refused: check username, password and vhost of this acct profile; retrying', fields);
      } else {
        this.#log.warn('amqp connect failed; retrying', fields);
      }
    }
    clearTimeout(this.#timer);
    // not unref'd: buffered messages must keep the process alive until they are sent or close() gives up
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}

/**
 * Closes a connection without trusting it to answer: amqplib's close() waits for the broker's close-ok and never
 * settles when the socket died under it, so give it a moment, then destroy the socket.
 */
async function shutdown(conn: ChannelModel, graceMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    conn.close().catch(() => undefined),
    new Promise<void>((r) => conn.once('close', () => r())),
    new Promise<void>((r) => (timer = setTimeout(r, graceMs))),
  ]);
  clearTimeout(timer);
  (conn as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
}
