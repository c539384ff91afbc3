/**
 * One AMQP acct profile's publisher, on the shared layer (hub.amqp): a held lease on the connection for the
 * profile's broker and credentials, its queues (declared durable when missing) or exchange (checked) as topology
 * declared again after every reconnect, and one confirm publisher.
 *
 * What the layer guarantees, as evbus relies on it: `publish` resolves only on the broker's confirm for every
 * target; while disconnected messages wait in order (at most `buffer_size`, then `publish` waits) and what was in
 * flight is re-sent first (at-least-once: a duplicate keeps its messageId, never a gap); reconnects back off; a
 * refused login fails at gather time. Here the layer's codes become evbus's (TSPOP_ERR_EVBUS_AMQP_*).
 */
import type { Hub } from '../../../src/index.ts';
import { TspopError } from '../../../src/errors.ts';
import { EvbusAmqpClosedError, EvbusAmqpNackError } from '../../evbus/_errors.ts';
import type { AmqpConnection, AmqpPublisher as LayerPublisher, AmqpTopology } from '../../amqp/_lib/types.ts';
import type { AmqpProfile, AmqpTarget } from './amqp-profile.ts';

/** Message properties a caller may set (the rest are fixed: persistent delivery). */
export interface AmqpMessageProps {
  contentType?: string;
  messageId?: string;
  /** Seconds since the epoch, as AMQP wants. */
  timestamp?: number;
  headers?: Record<string, unknown>;
}

/** Counters for tests and diagnostics (connection counters are the shared connection's). */
export interface AmqpPublisherStats {
  readonly published: number;
  readonly confirmed: number;
  readonly resent: number;
  readonly connects: number;
  readonly disconnects: number;
}

export class AmqpPublisher {
  readonly profile: AmqpProfile;
  readonly #conn: AmqpConnection;
  readonly #pub: LayerPublisher;
  #closed = false;

  constructor(hub: Hub, profile: AmqpProfile) {
    this.profile = profile;
    const p = profile;
    this.#conn = hub.amqp.connection.open({
      host: p.host, port: p.port, username: p.username, password: p.password, vhost: p.vhost, tls: p.tls ?? false,
      heartbeat: p.heartbeat, connectTimeoutMs: p.connectTimeoutMs, minBackoffMs: p.minBackoffMs, maxBackoffMs: p.maxBackoffMs,
      label: `evbus ${p.label}`, logFields: { profile: p.label },
      hold: true, // evbus closes it after draining its bus (acct release), not hub.close()
    });
    // registered at once (before the publisher), so every connect declares it before the publisher resumes; a failure
    // is logged by the layer and shows again as the broker's answer to the publishes (one failure, one line: not here)
    void hub.amqp.topology.declare(this.#conn, topologyOf(p)).catch(() => undefined);
    this.#pub = hub.amqp.publisher.create(this.#conn, { bufferSize: p.bufferSize, label: p.label });
  }

  get stats(): AmqpPublisherStats {
    const s = this.#pub.stats;
    const c = this.#conn.stats;
    return { published: s.published, confirmed: s.confirmed, resent: s.resent, connects: c.connects, disconnects: c.disconnects };
  }

  /** Connected, with the confirm channel open. */
  get connected(): boolean {
    return this.#pub.connected;
  }

  /** Messages not yet confirmed (buffered or in flight); publishes waiting for room not counted. */
  get pending(): number {
    return this.#pub.pending - this.#pub.waiting;
  }

  /** Kept for callers of the former connection manager: connecting starts when the publisher is made. */
  start(): this {
    return this;
  }

  /**
   * Waits up to `ms` for the first connection attempt's outcome (a profile names one broker): the error when the
   * login was refused, else undefined (connected, or unreachable for now: a broker that is down is normal, events
   * are buffered and sent once it is back).
   */
  firstAttempt(ms: number): Promise<unknown> {
    const conn = this.#conn;
    return new Promise((resolve) => {
      const offs: Array<() => void> = [];
      const done = (outcome: unknown): void => {
        clearTimeout(timer);
        for (const off of offs) off();
        resolve(outcome);
      };
      const timer = setTimeout(() => done(undefined), ms);
      offs.push(conn.on('connectFailed', () => done(undefined)));
      conn.whenConnected().then(() => done(undefined), (err: unknown) => done(TspopError.is(err) && err.code === 'TSPOP_ERR_AMQP_LOGIN_REFUSED' ? err : undefined));
    });
  }

  /** Resolves once connected with the confirm channel open. */
  waitConnected(): Promise<void> {
    return this.#pub.whenReady();
  }

  /** Sends `body` to every target of the profile; resolves when the broker confirmed all of them. */
  publish(body: Buffer | string, props: AmqpMessageProps = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new EvbusAmqpClosedError(`amqp profile ${this.profile.label} is closed; the message was not sent`));
    const content = typeof body === 'string' ? Buffer.from(body) : body;
    const options = { persistent: true, contentType: props.contentType, messageId: props.messageId, timestamp: props.timestamp, headers: props.headers };
    const targets = this.profile.targets;
    if (targets.length === 1) return this.#send(targets[0] as AmqpTarget, content, options); // the common case, free of arrays
    return Promise.all(targets.map((t) => this.#send(t, content, options))).then(() => undefined);
  }

  #send(t: AmqpTarget, content: Buffer, options: AmqpMessageProps & { persistent: boolean }): Promise<void> {
    return this.#pub.publish(t.exchange, t.routingKey, content, options).catch((err: unknown) => {
      throw evbusError(err, this.profile.label, t);
    });
  }

  /**
   * Waits (up to `timeoutMs`) for every buffered message to be confirmed, then closes. Messages still unconfirmed
   * after that are rejected with TSPOP_ERR_EVBUS_AMQP_CLOSED. Idempotent.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closed = true;
    await this.#pub.close({ drainMs: timeoutMs });
    await this.#conn.close({ drainMs: 0 });
  }
}

function topologyOf(p: AmqpProfile): AmqpTopology {
  // an exchange must already exist (its type is not ours to choose); queues are made durable when missing, and one
  // someone declared with other arguments is used as it is
  if (p.exchange) return { exchanges: [{ name: p.exchange, mode: 'check' }] };
  return { queues: p.queues.map((name) => ({ name, durable: true, mode: 'ensure' as const })) };
}

/** The layer's closed and nack errors as evbus's codes (what evbus users and its error callback know). */
function evbusError(err: unknown, label: string, t: AmqpTarget): unknown {
  if (!TspopError.is(err)) return err;
  const where = `${t.exchange || 'queue'} ${t.routingKey}`;
  if (err.code === 'TSPOP_ERR_AMQP_CLOSED') return new EvbusAmqpClosedError(`amqp profile ${label} closed with the message unconfirmed (${where})`, { cause: err });
  if (err.code === 'TSPOP_ERR_AMQP_NACK') return new EvbusAmqpNackError(`broker refused (nack) a message for amqp profile ${label} (${where})`, { cause: err });
  return err;
}
