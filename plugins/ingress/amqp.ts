/**
 * hub.ingress.amqp — publishes events to RabbitMQ (or any AMQP 0-9-1 broker) for acct profiles under the
 * providers `amqp`, `pika` (pop-evbus's name) and `rabbitmq`. The ctx's `acct` is the publisher that
 * `acct/evbus/amqp.ts` gather built on the shared AMQP layer (hub.amqp): each ingress channel is a durable queue the event is sent to, or with
 * `exchange` set the event is published there with `routing_key`. Publishing resolves on the broker's confirm;
 * during an outage events are buffered (bounded) and re-sent in order after reconnecting (at-least-once).
 */
import type { Hub } from '../../src/index.ts';
import { EvbusContextError } from '../evbus/_errors.ts';
import { AmqpPublisher } from './_lib/amqp-publisher.ts';
import type { IngressCtx, IngressEvent } from '../evbus/_lib/types.ts';

export const ACCT = ['amqp', 'pika', 'rabbitmq'];

/** The shared AMQP layer is a dyne of its own (the gather plugin adds it too, for contexts made without the bus). */
export async function __init__(hub: Hub): Promise<void> {
  if (hub.amqp === undefined) await hub.pop.sub.add({ dyneName: 'amqp' });
}

/**
 * The publisher keeps call order and pipelines confirms, so the bus may keep this many publishes in flight: as
 * many as the default buffer_size, so a broker that confirms in large batches (fsync) is never waited on early.
 */
export const CONCURRENCY = 10_000;

export function publish(_hub: Hub, ctx: IngressCtx, event: IngressEvent): Promise<void> {
  const publisher = ctx.acct;
  if (!(publisher instanceof AmqpPublisher)) {
    return Promise.reject(new EvbusContextError(
      `acct profile ${ctx.provider}/${ctx.profile} reached the amqp ingress unprocessed: gather it through acct/evbus/amqp.ts (start({ profiles }) or hub.acct.init.gather)`,
    ));
  }
  return publisher.publish(event.body, {
    contentType: event.contentType,
    messageId: event.id,
    timestamp: Math.floor(event.timestamp / 1000),
  });
}
