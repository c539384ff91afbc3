/**
 * What the dripline family needs from an AMQP connection: the small surface the shared AMQP layer
 * (hub.amqp: connection, topology, publisher, consumer) provides. Services, clients and monitors are written
 * against this, so the codec and endpoint rules never touch amqplib directly.
 */
import type { AmqpIncoming, AmqpOutgoing } from './codec.ts';

export interface LinkTopology {
  readonly exchanges?: readonly { name: string; type: 'topic'; durable: boolean; autoDelete: boolean }[];
  /** A queue named '' gets a generated name (returned by declare, stable across reconnects). */
  readonly queues?: readonly { name: string; durable: boolean; exclusive: boolean; autoDelete: boolean }[];
  readonly bindings?: readonly { queue: string; exchange: string; routingKey: string }[];
}

export interface LinkConsumer {
  cancel(): Promise<void>;
}

export interface MeshLink {
  /** Human label (redacted broker address) for messages. */
  readonly label: string;
  /**
   * Resolves when connected; rejects with TSPOP_ERR_DRIPLINE_BROKER (101) when the broker cannot be reached within
   * `timeoutMs`, or (when given) once `maxFailedAttempts` connection attempts failed.
   */
  whenConnected(timeoutMs: number, maxFailedAttempts?: number): Promise<void>;
  /** Declares (and re-declares after every reconnect); resolves with the queue names in order. */
  declare(topology: LinkTopology): Promise<readonly string[]>;
  /** Consumes `queue`; with noAck false a message is acknowledged once the handler's promise settles. */
  consume(queue: string, handler: (msg: AmqpIncoming) => Promise<void> | void, opts: { noAck: boolean; prefetch?: number }): Promise<LinkConsumer>;
  /** Publishes and resolves on the broker's confirm; mandatory and unroutable rejects with TSPOP_ERR_DRIPLINE_UNROUTABLE (403). */
  publish(exchange: string, routingKey: string, message: AmqpOutgoing, mandatory: boolean): Promise<void>;
  close(): Promise<void>;
}

/** dripline-cpp's declares: topic exchanges neither durable nor auto-delete (a peer's own declare must match). */
export function exchangeSpec(name: string): { name: string; type: 'topic'; durable: false; autoDelete: false } {
  return { name, type: 'topic', durable: false, autoDelete: false };
}

/** dripline-cpp's service and reply queues: not durable, exclusive, auto-delete. */
export function queueSpec(name: string): { name: string; durable: false; exclusive: true; autoDelete: true } {
  return { name, durable: false, exclusive: true, autoDelete: true };
}
