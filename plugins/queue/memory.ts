/**
 * hub.queue.memory — in-process queues (streamtools' AsyncIO queue): producers and consumers of one hub that
 * share a queue name talk to each other with the brokers' ack, redelivery and dead-letter rules. For tests and
 * single-process pipelines; nothing survives the process. Options: `queue`, and for consumers `concurrency`,
 * `maxDeliveries`, `deadLetter` (a queue name for messages that failed `maxDeliveries` times).
 */
import type { Hub } from '../../src/index.ts';
import { QueueClosedError } from './_errors.ts';
import { InFlight } from './_lib/in-flight.ts';
import { MemoryBroker, type MemorySubscription } from './_lib/memory-broker.ts';
import { consumerLimits, optionalString, queueName, toBuffer } from './_lib/options.ts';
import type { MessageHandler, SendOptions, TransportConsumer, TransportOptions, TransportProducer } from './_lib/types.ts';

export function __init__(hub: Hub): void {
  hub._.BROKER = new MemoryBroker(hub.log);
}

/** The hub's in-process broker (depth and dropped counts for tests). */
export function broker(hub: Hub): MemoryBroker {
  return hub._.BROKER as MemoryBroker;
}

export async function producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer> {
  const queue = queueName('queue memory producer', opts);
  const b = broker(hub);
  let closed = false;
  return {
    transport: 'memory',
    async send(body: Buffer | string, o: SendOptions = {}): Promise<void> {
      if (closed) throw new QueueClosedError(`memory producer for "${queue}" is closed`);
      b.publish(queue, { body: toBuffer(body), contentType: o.contentType, headers: { ...o.headers }, id: o.id, routingKey: o.routingKey });
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

export async function consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer> {
  const where = 'queue memory consumer';
  const queue = queueName(where, opts);
  const { maxDeliveries, concurrency } = consumerLimits(where, opts);
  const deadLetter = optionalString(where, 'deadLetter', opts.deadLetter);
  const b = broker(hub);
  const inFlight = new InFlight();
  let sub: MemorySubscription | undefined;
  const stop = async (): Promise<void> => {
    if (sub) b.unsubscribe(queue, sub);
    await inFlight.idle();
  };
  return {
    transport: 'memory',
    get inFlight() {
      return inFlight.count;
    },
    async listen(handler: MessageHandler): Promise<void> {
      sub = { handler, concurrency, maxDeliveries, deadLetter, running: 0, stopped: false, onSettled: (p) => void inFlight.run(() => p) };
      b.subscribe(queue, sub);
    },
    stop,
    close: stop,
  };
}
