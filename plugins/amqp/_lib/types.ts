/**
 * The public shapes of hub.amqp: what families (evbus, queue, dripline) program against. See /README.md
 * ("hub.amqp and hub.http") and the JSDoc of each plugin function.
 */
import type { ConsumeMessage, ConsumeMessageFields, MessageProperties } from 'amqplib';

/** TLS settings: PEM strings (or file contents); `true` on the connect options means the system CAs. */
export interface AmqpTls {
  readonly ca?: string | readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
  readonly servername?: string;
  readonly rejectUnauthorized?: boolean;
}

export interface AmqpConnectOptions {
  /** One broker or a cluster (`amqp://user:pass@host:5672/vhost`, `amqps://` for TLS), tried round robin. */
  readonly urls?: string | readonly string[];
  /** Fields for brokers given without them (or instead of `urls`); default 127.0.0.1:5672, guest/guest, vhost `/`. */
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly vhost?: string;
  readonly tls?: boolean | AmqpTls;
  /** Heartbeat in seconds (default 30; 0 disables). */
  readonly heartbeat?: number;
  /** TCP + AMQP handshake timeout per attempt, ms (default 5000). */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff starts here (ms, default 100), doubles per failed attempt, stops growing at `maxBackoffMs` (default 3000). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Names the connection in logs and messages (default: the first broker's host:port). */
  readonly label?: string;
  /** Extra fields on every log line this connection writes (e.g. `{ profile: 'amqp/prod' }`); never secrets. */
  readonly logFields?: Readonly<Record<string, string>>;
  /** hub.close() leaves a held lease to its owner (who closes it), as acct's `hold`. */
  readonly hold?: boolean;
}

/**
 * `connect` ({ where }) once up with topology declared; `disconnect` ({ error }); `connectFailed` ({ error, attempt,
 * retryInMs }) per failed attempt that will be retried; `failed` (the error) when it gives up (refused login);
 * `blocked` ({ reason }) / `unblocked` (broker resource alarms).
 */
export type AmqpConnectionEvent = 'connect' | 'disconnect' | 'connectFailed' | 'failed' | 'blocked' | 'unblocked';

export interface AmqpConnectionStats {
  readonly connects: number;
  readonly disconnects: number;
  readonly connectFailures: number;
}

/** A lease on a shared, reconnecting connection (hub.amqp.connection.open). */
export interface AmqpConnection {
  readonly label: string;
  /** What leases share a connection by: broker list, user, vhost, tls (a password digest, never the password). */
  readonly key: string;
  readonly connected: boolean;
  /** True once this lease was closed or its connection failed for good (refused login). */
  readonly closed: boolean;
  readonly stats: AmqpConnectionStats;
  /**
   * Resolves when connected. Rejects with TSPOP_ERR_AMQP_LOGIN_REFUSED (refused before ever connecting),
   * TSPOP_ERR_AMQP_UNREACHABLE (not connected within `timeoutMs`; names the brokers tried and the last error) or
   * TSPOP_ERR_AMQP_CLOSED. Without `timeoutMs` it waits until connected, refused or closed.
   */
  whenConnected(timeoutMs?: number): Promise<void>;
  /** Listens to the shared connection; returns the unsubscribe function. */
  on(event: AmqpConnectionEvent, listener: (info: unknown) => void): () => void;
  /** Closes what was made on this lease (publishers drain up to `drainMs`, default 10000), then the lease; the socket closes with the last lease. */
  close(opts?: { drainMs?: number }): Promise<void>;
}

export interface AmqpExchangeSpec {
  readonly name: string;
  /** direct, topic, fanout, headers, x-delayed-message (needs the broker plugin and `arguments['x-delayed-type']`), ...; optional with mode `check`. */
  readonly type?: string;
  readonly durable?: boolean;
  readonly autoDelete?: boolean;
  readonly internal?: boolean;
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** `assert` (default) declares it; `check` only verifies it exists. */
  readonly mode?: 'assert' | 'check';
}

export interface AmqpQueueSpec {
  /** `''`: a client-generated name (`tspop.<label>.<uuid>`), stable across reconnects, returned by declare(). */
  readonly name: string;
  readonly durable?: boolean;
  readonly exclusive?: boolean;
  readonly autoDelete?: boolean;
  /** Sets `x-queue-type`; quorum and stream queues must be durable and not exclusive. */
  readonly type?: 'classic' | 'quorum' | 'stream';
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** `assert` (default); `check`: must exist; `ensure`: check, and declare (durable) only when missing. */
  readonly mode?: 'assert' | 'check' | 'ensure';
}

export interface AmqpBindingSpec {
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

export interface AmqpTopology {
  readonly exchanges?: readonly AmqpExchangeSpec[];
  readonly queues?: readonly AmqpQueueSpec[];
  readonly bindings?: readonly AmqpBindingSpec[];
}

export interface AmqpDeclared {
  /** Queue names in `queues` order (generated names filled in). */
  readonly queues: readonly string[];
  /** Stops re-declaring this topology after reconnects (deletes nothing). */
  remove(): void;
}

export interface AmqpPublisherOptions {
  /** Messages unconfirmed or waiting for a connection; publish() waits for room beyond it (default 10000). */
  readonly bufferSize?: number;
  /** Re-publishes of a nacked message (or one whose exchange the broker said is missing) before it rejects (default 3). */
  readonly maxRetries?: number;
  readonly label?: string;
}

/** amqplib's publish options, plus `mandatory` surfacing basic.return as TSPOP_ERR_AMQP_RETURNED. */
export interface AmqpPublishOptions {
  readonly mandatory?: boolean;
  /** Default true (delivery mode 2). */
  readonly persistent?: boolean;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly messageId?: string;
  /** Seconds since the epoch. */
  readonly timestamp?: number;
  readonly expiration?: string | number;
  readonly priority?: number;
  readonly type?: string;
  readonly appId?: string;
  readonly userId?: string;
}

export interface AmqpPublisherStats {
  readonly published: number;
  readonly confirmed: number;
  readonly resent: number;
  readonly nacked: number;
  readonly returned: number;
}

export interface AmqpPublisher {
  readonly label: string;
  /**
   * Resolves once the broker confirmed the message. Call order is wire order, across reconnects too: what was in
   * flight when a connection dropped is re-sent (at-least-once). Rejects with TSPOP_ERR_AMQP_RETURNED (mandatory
   * and unroutable), _NACK, _CHANNEL (retries used up), _CLOSED or _LOGIN_REFUSED.
   */
  publish(exchange: string, routingKey: string, body: Buffer | string, options?: AmqpPublishOptions): Promise<void>;
  /** Messages not yet confirmed (buffered or in flight), plus calls waiting for room. */
  readonly pending: number;
  /** Of `pending`, the calls waiting for room in the buffer. */
  readonly waiting: number;
  /** Its confirm channel is open (so a publish goes straight to the broker). */
  readonly connected: boolean;
  /** Resolves once its confirm channel is open; rejects with TSPOP_ERR_AMQP_CLOSED / _LOGIN_REFUSED. */
  whenReady(): Promise<void>;
  readonly stats: AmqpPublisherStats;
  /** Waits up to `drainMs` (default 10000) for pending confirms, then rejects what is left with TSPOP_ERR_AMQP_CLOSED. */
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** Fields of TSPOP_ERR_AMQP_RETURNED. */
export interface AmqpReturnInfo {
  readonly replyCode: number;
  readonly replyText: string;
  readonly exchange: string;
  readonly routingKey: string;
}

export interface AmqpConsumeOptions {
  /** Unacked deliveries at once on this consumer's channel; handlers run concurrently up to it (default 10). */
  readonly prefetch?: number;
  /** Auto-ack (monitors); handler failures are only logged. */
  readonly noAck?: boolean;
  readonly exclusive?: boolean;
  readonly consumerTag?: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** Failed handler runs before a message is rejected without requeue (dead-lettered when the queue has a DLX; default 5). */
  readonly maxRedeliveries?: number;
  /**
   * Below the limit: `requeue` (default) re-publishes a copy to the queue's tail with `x-tspop-redeliveries` + 1
   * and acks the original once the copy is confirmed; `nack` uses basic.nack with requeue (quorum queues count
   * `x-delivery-count`; classic queues redeliver at the head without a count, so the limit is not enforced there).
   */
  readonly onFailure?: 'requeue' | 'nack';
  readonly label?: string;
  /**
   * How long the broker may take to answer a subscribe (default 30000). The first one failing rejects consume();
   * a later one (after a reconnect) is logged and tried again.
   */
  readonly subscribeTimeoutMs?: number;
}

/** A delivery as the handler sees it: amqplib's message, plus how often a handler failed on it already. */
export interface AmqpDelivery extends ConsumeMessage {
  readonly content: Buffer;
  /** The original exchange and routing key, also on re-published copies. */
  readonly fields: ConsumeMessageFields;
  readonly properties: MessageProperties;
  readonly redeliveries: number;
}

export type AmqpHandler = (msg: AmqpDelivery) => unknown;

export interface AmqpConsumerStats {
  readonly delivered: number;
  readonly acked: number;
  readonly requeued: number;
  readonly rejected: number;
  readonly subscribes: number;
}

export interface AmqpConsumer {
  readonly queue: string;
  readonly consumerTag: string;
  readonly stats: AmqpConsumerStats;
  /** Stops deliveries, waits up to `drainMs` (default 10000) for running handlers, closes the channel (unacked messages return to the queue). */
  cancel(opts?: { drainMs?: number }): Promise<void>;
}
