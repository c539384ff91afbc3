/**
 * hub.amqp.publisher — confirm publishers: resolve on the broker's confirm, hold messages (bounded) while the
 * connection is down and re-send what was in flight, in order, once it is back; retry nacks up to a limit.
 *
 *   const pub = hub.amqp.publisher.create(conn, { bufferSize: 1000 });
 *   await pub.publish('orders', 'eu.new', JSON.stringify(order), { contentType: 'application/json', mandatory: true });
 */
import type { Hub } from '../../src/index.ts';
import { AmqpOptionsError } from './_errors.ts';
import { ConfirmPublisher } from './_lib/confirm-publisher.ts';
import { leaseOf } from './_lib/lease-of.ts';
import type { AmqpConnection, AmqpPublisher, AmqpPublisherOptions } from './_lib/types.ts';

/** A publisher on its own ConfirmChannel of `conn`; closed with `conn` if not before. */
export function create(hub: Hub, conn: AmqpConnection, opts: AmqpPublisherOptions = {}): AmqpPublisher {
  const lease = leaseOf(conn, 'hub.amqp.publisher.create');
  const o = publisherOptions(opts, lease.label);
  const pub = new ConfirmPublisher(lease.shared, hub.log, o);
  const forget = lease.adopt(pub);
  const close = pub.close.bind(pub);
  pub.close = async (closeOpts = {}) => {
    await close(closeOpts);
    forget();
  };
  return pub;
}

function publisherOptions(opts: AmqpPublisherOptions, connLabel: string): { label: string; bufferSize: number; maxRetries: number } {
  if (typeof opts !== 'object' || opts === null) fail('options must be an object');
  const unknown = Object.keys(opts).filter((k) => !['bufferSize', 'maxRetries', 'label'].includes(k));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} (known: bufferSize, maxRetries, label)`);
  const int = (v: unknown, key: string, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
    return v as number;
  };
  if (opts.label !== undefined && (typeof opts.label !== 'string' || opts.label === '')) fail('"label" must be a non-empty string');
  return { label: opts.label ?? connLabel, bufferSize: int(opts.bufferSize, 'bufferSize', 10_000, 1, 10_000_000), maxRetries: int(opts.maxRetries, 'maxRetries', 3, 0, 1000) };
}

function fail(message: string): never {
  throw new AmqpOptionsError(`hub.amqp.publisher.create: ${message}`);
}
