/**
 * hub.queue.amqp — RabbitMQ (AMQP 0-9-1) over the shared connection layer (`hub.amqp`: reconnecting
 * connections shared per broker list, confirm-channel publishers, consumers re-subscribed after an outage,
 * topology re-declared on every reconnect).
 *
 * Options, in clc_msa_utils' queue_config shape: `queue`; `exchange` ({name, type (direct), arguments, durable
 * (true), create (true; false: it must exist, checked and never declared)}, or a name); `binding_key` (consumers bind with it, default '#'); `routing_key` (producers, falling back
 * to binding_key, then '#' with an exchange or the queue name without one); `host`, `port`, `auth` {user,
 * password} (defaults: RMQ_HOST or 127.0.0.1, 5672, RMQ_USER / RMQ_PASS or guest/guest); `urls` (a list of
 * amqp:// URLs: a cluster, failed over in turn); `vhost`; `queue_type` ('quorum' for a replicated queue);
 * `queue_arguments`; consumers also `concurrency` (1: handlers at
 * once, started in delivery order), `prefetch` (the concurrency), `maxDeliveries` (5: then the queue's dead-letter exchange
 * gets it, or it is dropped), `deadLetterExchange`.
 */
import type { Hub } from '../../src/index.ts';
import { QueueBrokerPluginError, QueueClosedError, QueueConfigError, QueueSendError, QueueTopologyError } from './_errors.ts';
import { TspopError } from '../../src/errors.ts';
import { consumerLimits, optionalString, positiveInt, queueName, toBuffer } from './_lib/options.ts';
import type { MessageHandler, QueueMessage, SendOptions, TransportConsumer, TransportOptions, TransportProducer } from './_lib/types.ts';
import { amqpConnectOptions, amqpTopology, exchangeOf } from './_lib/amqp-options.ts';
import { sharedDyne } from './_lib/dyne.ts';
import { Limiter } from './_lib/limiter.ts';

interface AmqpLayer {
  connection: { open(opts: unknown): AmqpConn };
  topology: { declare(conn: AmqpConn, topo: unknown): Promise<{ queues: readonly string[] }> };
  publisher: { create(conn: AmqpConn, opts?: unknown): AmqpPub };
  consumer: { consume(conn: AmqpConn, queue: string, handler: (d: AmqpDeliveryLike) => unknown, opts?: unknown): Promise<{ cancel(opts?: unknown): Promise<void> }> };
}
interface AmqpConn {
  close(opts?: { drainMs?: number }): Promise<void>;
  whenConnected(timeoutMs?: number): Promise<void>;
}

/**
 * A producer or consumer is made once its broker answers: a host nothing listens on rejects after `startTimeoutMs`
 * (30 s) with TSPOP_ERR_AMQP_UNREACHABLE, a refused login or missing vhost at once; once made, outages are waited out.
 */
async function connected(conn: AmqpConn, where: string, opts: TransportOptions): Promise<void> {
  const ms = positiveInt(where, 'startTimeoutMs', opts.startTimeoutMs, 30_000);
  try {
    await conn.whenConnected(ms);
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapError(err, where);
  }
}
interface AmqpPub {
  publish(exchange: string, routingKey: string, body: Buffer, opts?: Record<string, unknown>): Promise<void>;
  close(opts?: { drainMs?: number }): Promise<void>;
}
interface AmqpDeliveryLike {
  readonly content: Buffer;
  readonly fields: { redelivered: boolean; routingKey: string; exchange: string };
  readonly properties: { headers?: Record<string, unknown>; messageId?: string; contentType?: string };
  readonly redeliveries: number;
}

function layer(hub: Hub): Promise<AmqpLayer> {
  return sharedDyne<AmqpLayer>(hub, 'amqp', 'queue amqp');
}

/** The shared layer's errors, in this family's codes (the cause keeps the original). */
function mapError(err: unknown, what: string): unknown {
  if (!TspopError.is(err)) return err;
  if (err.code === 'TSPOP_ERR_AMQP_EXCHANGE_TYPE') {
    return new QueueBrokerPluginError(`${what}: the broker has no such exchange type; x-delayed-message needs the rabbitmq_delayed_message_exchange plugin (${err.message})`, { cause: err });
  }
  if (err.code === 'TSPOP_ERR_AMQP_TOPOLOGY') return new QueueTopologyError(`${what}: ${err.message}`, { cause: err });
  if (err.code === 'TSPOP_ERR_AMQP_NACK' || err.code === 'TSPOP_ERR_AMQP_RETURNED' || err.code === 'TSPOP_ERR_AMQP_CHANNEL') return new QueueSendError(`${what}: ${err.message}`, { cause: err });
  if (err.code === 'TSPOP_ERR_AMQP_CLOSED') return new QueueClosedError(`${what}: ${err.message}`, { cause: err });
  return err;
}

export async function producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer> {
  const where = 'queue amqp producer';
  const amqp = await layer(hub);
  const exchange = exchangeOf(where, opts.exchange);
  const queue = optionalString(where, 'queue', opts.queue) ?? '';
  if (!exchange && !queue) throw new QueueConfigError(`${where}: give "exchange" or "queue"`);
  const routingKey = optionalString(where, 'routing_key', opts.routing_key) ?? optionalString(where, 'binding_key', opts.binding_key) ?? (exchange ? '#' : queue);
  const conn = amqp.connection.open(amqpConnectOptions(where, opts, `queue/${exchange?.name ?? queue}`));
  await connected(conn, where, opts);
  try {
    await amqp.topology.declare(conn, amqpTopology(where, opts, exchange, 'producer'));
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapError(err, where);
  }
  const pub = amqp.publisher.create(conn, { label: `queue/${exchange?.name ?? queue}` });
  let closed = false;
  return {
    transport: 'amqp',
    async send(body: Buffer | string, o: SendOptions = {}): Promise<void> {
      if (closed) throw new QueueClosedError(`amqp producer for "${exchange?.name ?? queue}" is closed`);
      await pub.publish(exchange?.name ?? '', o.routingKey ?? routingKey, toBuffer(body), {
        persistent: true, contentType: o.contentType, headers: o.headers, messageId: o.id, mandatory: o.mandatory === true,
      }).catch((err: unknown) => {
        throw mapError(err, `${where} (${exchange?.name ?? 'default exchange'} ${o.routingKey ?? routingKey})`);
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pub.close().catch(() => undefined);
      await conn.close();
    },
  };
}

export async function consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer> {
  const where = 'queue amqp consumer';
  const amqp = await layer(hub);
  const queue = queueName(where, opts);
  const exchange = exchangeOf(where, opts.exchange);
  const { maxDeliveries, concurrency } = consumerLimits(where, opts);
  // the broker sends no more than run at once unless asked: a stop then waits only for the handlers running
  const prefetch = positiveInt(where, 'prefetch', opts.prefetch, concurrency);
  const limiter = new Limiter(concurrency);
  const conn = amqp.connection.open(amqpConnectOptions(where, opts, `queue/${queue}`));
  await connected(conn, where, opts);
  try {
    await amqp.topology.declare(conn, amqpTopology(where, opts, exchange, 'consumer'));
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapError(err, where);
  }
  let sub: { cancel(opts?: unknown): Promise<void> } | undefined;
  let running = 0;
  let closed = false;
  const stop = async (): Promise<void> => {
    const s = sub;
    sub = undefined;
    await s?.cancel();
  };
  return {
    transport: 'amqp',
    get inFlight() {
      return running;
    },
    async listen(handler: MessageHandler): Promise<void> {
      if (closed) throw new QueueClosedError(`amqp consumer for "${queue}" is closed`);
      sub = await amqp.consumer.consume(conn, queue, async (d: AmqpDeliveryLike) => {
        const msg: QueueMessage = {
          queue, body: d.content, contentType: d.properties.contentType, headers: d.properties.headers ?? {}, id: d.properties.messageId,
          routingKey: d.fields.routingKey, redelivered: d.fields.redelivered || d.redeliveries > 0, deliveryCount: d.redeliveries + 1, raw: d,
        };
        return limiter.run(async () => {
          running++;
          try {
            return await handler(msg);
          } finally {
            running--;
          }
        });
      }, { prefetch, maxRedeliveries: maxDeliveries - 1, onFailure: opts.queue_type === 'quorum' ? 'nack' : 'requeue', label: `queue/${queue}` });
    },
    stop,
    async close(): Promise<void> {
      closed = true;
      await stop();
      await conn.close();
    },
  };
}
