/** The transport plugin interface: what a file in the queue dyne exports, and what its producers and consumers do. */
import type { Hub } from '../../../src/types.ts';

/** One received message, the same shape for every transport. */
export interface QueueMessage {
  /** The queue (AMQP queue, NATS subject/stream, HTTP route, spool dir) it came from. */
  readonly queue: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, unknown>>;
  /** Message id (AMQP message-id, NATS Nats-Msg-Id, spool reqid) when the sender set one. */
  readonly id: string | undefined;
  /** AMQP routing key or NATS subject it was published with. */
  readonly routingKey: string | undefined;
  /** True when the transport knows it delivered this message before. */
  readonly redelivered: boolean;
  /** 1 on the first delivery; counted by the broker where it can (NATS, quorum queues), else by the consumer. */
  readonly deliveryCount: number;
  /** The transport's own message object (amqplib ConsumeMessage, JsMsg, IncomingMessage ...). */
  readonly raw: unknown;
}

/**
 * Called once per message. Resolving acknowledges it; throwing (or rejecting) gives it back for redelivery until
 * the consumer's `maxDeliveries`, after which it is dead-lettered (or dropped and logged when there is nowhere to
 * put it).
 */
export type MessageHandler = (msg: QueueMessage) => unknown;

export interface SendOptions {
  readonly contentType?: string;
  readonly headers?: Record<string, unknown>;
  /** Message id for de-duplication at the receiver. */
  readonly id?: string;
  /** AMQP routing key / NATS subject suffix; defaults to the producer's. */
  readonly routingKey?: string;
  /** Transport-specific options (HTTP: method, endpoint, headers_tag). */
  readonly [option: string]: unknown;
}

export interface TransportProducer {
  readonly transport: string;
  /** Resolves once the transport holds the message durably (broker confirm, JetStream ack, fsync, HTTP 2xx). */
  send(body: Buffer | string, opts?: SendOptions): Promise<void>;
  close(): Promise<void>;
}

export interface TransportConsumer {
  readonly transport: string;
  /** Starts delivering to `handler`; resolves once subscribed. One handler per consumer. */
  listen(handler: MessageHandler): Promise<void>;
  /** Stops taking new messages and waits for the handlers already running. */
  stop(): Promise<void>;
  /** stop(), then releases the connection. */
  close(): Promise<void>;
  /** Handlers running right now. */
  readonly inFlight: number;
}

/** Options every transport understands; each adds its own (validated by the transport). */
export interface TransportOptions {
  /** Queue / subject / route / directory name. */
  readonly queue: string;
  /** Consumers: deliveries of one message before it is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** Consumers: handlers run at once (default 1, so a queue is handled in order). */
  readonly concurrency?: number;
  readonly [option: string]: unknown;
}

/** A transport plugin: a file in the queue dyne exporting these two functions (checked when the dyne loads). */
export interface QueueTransport {
  producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer>;
  consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer>;
}

/** A transport as the hub exposes it (`hub.queue.<name>`): its functions with `hub` already bound. */
export interface HubQueueTransport {
  producer(opts: TransportOptions): Promise<TransportProducer>;
  consumer(opts: TransportOptions): Promise<TransportConsumer>;
}

/** The type guard `init.ts` applies to every module of the queue dyne when it loads. */
export function isQueueTransport(mod: unknown): mod is HubQueueTransport {
  const m = mod as Partial<HubQueueTransport> | undefined;
  return typeof m?.producer === 'function' && typeof m?.consumer === 'function';
}

export const DEFAULT_MAX_DELIVERIES = 5;
