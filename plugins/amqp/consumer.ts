/**
 * hub.amqp.consumer — consumers that ack only after their handler succeeded, requeue failures up to a limit
 * (then dead-letter), and re-subscribe after reconnects.
 *
 *   const c = await hub.amqp.consumer.consume(conn, 'orders.eu', async (msg) => handle(msg.content), { prefetch: 20 });
 *   await c.cancel();
 */
import type { Hub } from '../../src/index.ts';
import { AmqpOptionsError } from './_errors.ts';
import { leaseOf } from './_lib/lease-of.ts';
import { QueueConsumer, type QueueConsumerOptions } from './_lib/queue-consumer.ts';
import type { AmqpConnection, AmqpConsumeOptions, AmqpConsumer, AmqpHandler } from './_lib/types.ts';

const KEYS = ['prefetch', 'noAck', 'exclusive', 'consumerTag', 'arguments', 'maxRedeliveries', 'onFailure', 'label', 'subscribeTimeoutMs'];

/**
 * Subscribes `handler` to `queue`; resolves once subscribed (waiting for the connection if needed). Rejects with
 * TSPOP_ERR_AMQP_TOPOLOGY when the queue does not exist (declare it first), another connection holds it exclusively,
 * or the broker does not answer the subscribe within `subscribeTimeoutMs`.
 */
export async function consume(hub: Hub, conn: AmqpConnection, queue: string, handler: AmqpHandler, opts: AmqpConsumeOptions = {}): Promise<AmqpConsumer> {
  const lease = leaseOf(conn, 'hub.amqp.consumer.consume');
  if (typeof queue !== 'string' || queue === '') fail('the queue must be a queue name');
  if (typeof handler !== 'function') fail('the handler must be a function (msg) => ...');
  const consumer = new QueueConsumer(lease.shared, hub.log, queue, handler, consumerOptions(opts, `${lease.label} ${queue}`));
  const forget = lease.adopt({ close: (o) => consumer.cancel(o) });
  const cancel = consumer.cancel.bind(consumer);
  consumer.cancel = async (o = {}) => {
    await cancel(o);
    forget();
  };
  try {
    await consumer.subscribed;
  } catch (err) {
    forget();
    throw err;
  }
  return consumer;
}

function consumerOptions(opts: AmqpConsumeOptions, label: string): QueueConsumerOptions {
  if (typeof opts !== 'object' || opts === null) fail('options must be an object');
  const unknown = Object.keys(opts).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
  const int = (v: unknown, key: string, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
    return v as number;
  };
  const bool = (v: unknown, key: string): boolean => {
    if (v !== undefined && typeof v !== 'boolean') fail(`"${key}" must be true or false`);
    return v === true;
  };
  if (opts.onFailure !== undefined && opts.onFailure !== 'requeue' && opts.onFailure !== 'nack') fail('"onFailure" must be requeue or nack');
  if (opts.consumerTag !== undefined && (typeof opts.consumerTag !== 'string' || opts.consumerTag === '')) fail('"consumerTag" must be a non-empty string');
  if (opts.label !== undefined && (typeof opts.label !== 'string' || opts.label === '')) fail('"label" must be a non-empty string');
  if (opts.arguments !== undefined && (typeof opts.arguments !== 'object' || opts.arguments === null || Array.isArray(opts.arguments))) fail('"arguments" must be an object');
  return {
    label: opts.label ?? label,
    prefetch: int(opts.prefetch, 'prefetch', 10, 1, 65_535),
    noAck: bool(opts.noAck, 'noAck'),
    exclusive: bool(opts.exclusive, 'exclusive'),
    consumerTag: opts.consumerTag,
    arguments: opts.arguments === undefined ? undefined : { ...opts.arguments },
    maxRedeliveries: int(opts.maxRedeliveries, 'maxRedeliveries', 5, 0, 1_000_000),
    onFailure: opts.onFailure ?? 'requeue',
    subscribeTimeoutMs: int(opts.subscribeTimeoutMs, 'subscribeTimeoutMs', 30_000, 1, 600_000),
  };
}

function fail(message: string): never {
  throw new AmqpOptionsError(`hub.amqp.consumer.consume: ${message}`);
}
