/**
 * hub.queue — producers and consumers over swappable transports. Every other file of the dyne is a transport
 * (amqp, http, nats, disk, memory, or a host's own): it exports `producer(hub, opts)` and `consumer(hub, opts)`,
 * checked here when the dyne loads so a malformed drop-in fails at load with TSPOP_ERR_QUEUE_TRANSPORT_INVALID,
 * not at its first message. The seed-shaped facades (QueueFactory, PRODUCERS/CONSUMER_LOOPS, QueueWriter ...)
 * are exported from the package root and reach the transports through `producer()` / `consumer()` below.
 */
import type { Hub } from '../../src/index.ts';
import { QueueTransportInvalidError, QueueTransportNotFoundError } from './_errors.ts';
import { isQueueTransport, type HubQueueTransport, type TransportConsumer, type TransportOptions, type TransportProducer } from './_lib/types.ts';

interface ModuleLike {
  readonly name: string;
  readonly [key: string]: unknown;
}

export function __init__(hub: Hub): void {
  for (const mod of [...hub.__] as ModuleLike[]) {
    if (mod.name === 'init') continue;
    if (!isQueueTransport(mod)) {
      throw new QueueTransportInvalidError(
        `hub.queue.${mod.name}: a queue transport must export producer(hub, opts) and consumer(hub, opts) (see plugins/queue/_lib/types.ts)`,
      );
    }
  }
}

/** Names of the loaded transports. */
export function transports(hub: Hub): string[] {
  return ([...hub.__] as ModuleLike[]).map((m) => m.name).filter((n) => n !== 'init').sort();
}

/** The transport plugin `type`, or a coded error naming the ones there are. */
export function transport(hub: Hub, type: string): HubQueueTransport {
  const mod: unknown = typeof type === 'string' && type !== 'init' ? hub.__[type] : undefined;
  if (!isQueueTransport(mod)) {
    throw new QueueTransportNotFoundError(`no queue transport "${String(type)}" (loaded: ${transports(hub).join(', ') || 'none'}); drop ${String(type)}.ts into a queue dyne folder`);
  }
  return mod;
}

export function producer(hub: Hub, type: string, opts: TransportOptions): Promise<TransportProducer> {
  return transport(hub, type).producer(opts);
}

export function consumer(hub: Hub, type: string, opts: TransportOptions): Promise<TransportConsumer> {
  return transport(hub, type).consumer(opts);
}
