/**
 * hub.queue.nats — NATS JetStream (the durable log standing in for streamtools' Kafka handler). A queue is a
 * subject; its stream (named after it, created when missing with subjects `<queue>` and `<queue>.>`) keeps
 * messages on disk, and a consumer is a durable JetStream consumer, so it resumes where it stopped.
 *
 * Options: `queue`; `servers` (a list, or NATS_URL comma-separated; default 127.0.0.1:4222: the client fails
 * over between them and reconnects for ever, trying them in the given order like hub.queue.amqp's `urls`, unless
 * `randomize: true` spreads clients over a cluster); `stream` (default: derived from queue).
 *
 * Failover between servers that are not one cluster (each its own JetStream): after every reconnect the stream
 * (and a consumer's durable consumer) is declared again, as hub.queue.amqp re-declares its topology, and the
 * consumer subscribes again. A handler that was running when the server changed does not ack (the ack would land
 * on the new server's consumer, whose sequence numbers are not the old one's): the old server redelivers it.
 * `send()` retries a publish that timed out or found no stream yet (the server changed under it) with the same
 * Nats-Msg-Id, so a message is at least once on some server once send() resolved. Producers: `send()`
 * resolves on the stream's PubAck; `id` becomes Nats-Msg-Id (the stream de-duplicates it). Consumers:
 * `durable` (default `tspop-<stream>`), `prefetch` (64), `concurrency` (1), `maxDeliveries` (5: max_deliver;
 * a handler failing on the last delivery terms the message, after publishing it to `deadLetter` when set),
 * `ackWaitMs` (30000: an unacked message is redelivered after it).
 */
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/errors.ts';
import { QueueClosedError, QueueConfigError, QueueSendError, QueueTopologyError } from './_errors.ts';
import { InFlight } from './_lib/in-flight.ts';
import { consumerLimits, optionalString, positiveInt, queueName, toBuffer } from './_lib/options.ts';
import type { MessageHandler, QueueMessage, SendOptions, TransportConsumer, TransportOptions, TransportProducer } from './_lib/types.ts';

function servers(where: string, opts: TransportOptions): string[] {
  const v = opts.servers ?? process.env.NATS_URL ?? '127.0.0.1:4222';
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s !== '')) {
    throw new QueueConfigError(`${where}: option "servers" must be a server address or a list of them`);
  }
  return list as string[];
}

export function streamName(queue: string): string {
  return queue.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Publish attempts per send: a timeout or "no stream" after a failover is retried (nats.js's own backoff, ~20 s). */
const PUBLISH_RETRIES = 8;

async function open(where: string, opts: TransportOptions, name: string): Promise<NatsConnection> {
  const list = servers(where, opts);
  if (opts.randomize !== undefined && typeof opts.randomize !== 'boolean') throw new QueueConfigError(`${where}: option "randomize" must be true or false`);
  try {
    return await connect({ servers: list, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5000, noRandomize: opts.randomize !== true });
  } catch (cause) {
    throw new QueueConfigError(`${where}: cannot connect to NATS at ${list.join(', ')}: ${describeError(cause, { redact: true })}`, { cause });
  }
}

/** Runs `again` after every reconnect (the client's own reconnect loop brought the connection back, maybe elsewhere). */
function onReconnect(hub: Hub, nc: NatsConnection, what: string, again: () => Promise<void>): void {
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type !== 'reconnect') continue;
      await again().catch((err: unknown) => hub.log.error(`queue nats: ${what}: setting up again after a reconnect failed`, { server: nc.getServer(), error: describeError(err) }));
    }
  })();
}

async function ensureStream(nc: NatsConnection, stream: string, queue: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(stream);
  } catch {
    try {
      await jsm.streams.add({ name: stream, subjects: [queue, `${queue}.>`] });
    } catch (cause) {
      // two processes creating it at once: fine if it is there now
      await jsm.streams.info(stream).catch(() => {
        throw new QueueTopologyError(`NATS: cannot create stream ${stream} for ${queue}: ${describeError(cause)}`, { cause });
      });
    }
  }
}

export async function producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer> {
  const where = 'queue nats producer';
  const queue = queueName(where, opts);
  const stream = optionalString(where, 'stream', opts.stream) ?? streamName(queue);
  const nc = await open(where, opts, `tspop-producer-${queue}`);
  await ensureStream(nc, stream, queue);
  onReconnect(hub, nc, `producer ${queue}`, () => ensureStream(nc, stream, queue));
  const js = jetstream(nc);
  let closed = false;
  return {
    transport: 'nats',
    async send(body: Buffer | string, o: SendOptions = {}): Promise<void> {
      if (closed) throw new QueueClosedError(`nats producer for "${queue}" is closed`);
      let h: ReturnType<typeof natsHeaders> | undefined;
      if (o.contentType || o.headers) {
        h = natsHeaders();
        if (o.contentType) h.set('content-type', o.contentType);
        for (const [k, v] of Object.entries(o.headers ?? {})) h.set(k, String(v));
      }
      const subject = o.routingKey ? `${queue}.${o.routingKey}` : queue;
      try {
        await js.publish(subject, toBuffer(body), { headers: h, msgID: o.id, retries: PUBLISH_RETRIES });
      } catch (cause) {
        throw new QueueSendError(`NATS: publishing to ${subject} failed: ${describeError(cause)}`, { cause });
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await nc.drain().catch(() => nc.close());
    },
  };
}

export async function consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer> {
  const where = 'queue nats consumer';
  const queue = queueName(where, opts);
  const stream = optionalString(where, 'stream', opts.stream) ?? streamName(queue);
  const durable = optionalString(where, 'durable', opts.durable) ?? `tspop-${stream}`;
  const { maxDeliveries, concurrency } = consumerLimits(where, opts);
  const prefetch = positiveInt(where, 'prefetch', opts.prefetch, 64);
  const ackWaitMs = positiveInt(where, 'ackWaitMs', opts.ackWaitMs, 30_000);
  const deadLetter = optionalString(where, 'deadLetter', opts.deadLetter);
  const nc = await open(where, opts, `tspop-consumer-${queue}`);
  const config = { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_deliver: maxDeliveries, ack_wait: ackWaitMs * 1e6 };
  const declare = async (): Promise<void> => {
    await ensureStream(nc, stream, queue);
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.info(stream, durable).then(
      () => jsm.consumers.update(stream, durable, { max_deliver: maxDeliveries, ack_wait: ackWaitMs * 1e6 }),
      () => jsm.consumers.add(stream, config),
    ).catch((cause: unknown) => {
      throw new QueueTopologyError(`NATS: cannot set up durable consumer ${durable} on ${stream}: ${describeError(cause)}`, { cause });
    });
  };
  await declare();
  const js = jetstream(nc);
  const inFlight = new InFlight();
  let messages: ConsumerMessages | undefined;
  let loop: Promise<void> | undefined;
  let listening: MessageHandler | undefined;
  let closed = false;

  /** Pulls from the durable consumer into `handler` until `stop()` or a re-subscribe closes the iterator. */
  async function subscribe(handler: MessageHandler): Promise<void> {
    const c = await js.consumers.get(stream, durable);
    const it = await c.consume({ max_messages: prefetch });
    messages = it;
    loop = (async () => {
      const slots = new Set<Promise<void>>();
      for await (const m of it) {
        // stopping: what was fetched but not started goes back to the server now, so stop() waits only for the
        // handlers already running (not for `prefetch` more)
        if (listening !== handler) {
          m.nak();
          continue;
        }
        const p = inFlight.run(() => handle(handler, m, nc.getServer())).finally(() => slots.delete(p));
        slots.add(p);
        if (slots.size >= concurrency) await Promise.race(slots);
      }
      await Promise.all(slots);
    })().catch((err: unknown) => hub.log.error('queue nats: the consumer stopped on an error', { queue, error: describeError(err) }));
  }

  // after a reconnect (maybe to another server, with its own JetStream): the stream and durable consumer again, then
  // a fresh subscription (the old one would only poll for its consumer with a backoff of up to half a minute)
  onReconnect(hub, nc, `consumer ${queue}`, async () => {
    await declare();
    const handler = listening;
    if (!handler || closed) return;
    await messages?.close().catch(() => undefined);
    await loop;
    if (listening === handler && !closed) await subscribe(handler);
  });

  async function handle(handler: MessageHandler, m: JsMsg, server: string): Promise<void> {
    const h: Record<string, unknown> = {};
    for (const k of m.headers?.keys() ?? []) h[k] = m.headers?.get(k);
    const msg: QueueMessage = {
      queue, body: Buffer.from(m.data), contentType: m.headers?.get('content-type') || undefined, headers: h,
      id: m.headers?.get('Nats-Msg-Id') || undefined, routingKey: m.subject, redelivered: m.redelivered,
      deliveryCount: m.info.deliveryCount, raw: m,
    };
    let failed = false;
    let err: unknown;
    try {
      await handler(msg);
    } catch (e) {
      failed = true;
      err = e;
    }
    if (nc.getServer() !== server) {
      // another server now: its consumer's sequence numbers are not the delivering one's, so an ack or nak could
      // settle a different message there. Left alone, the old server redelivers it (at-least-once).
      hub.log.debug('queue nats: not settling a message delivered before the server changed', { queue, from: server, now: nc.getServer() });
      return;
    }
    // a lost ack only means a redelivery (at-least-once); waiting for the server's ack-ack would halve throughput
    if (!failed) m.ack();
    else if (m.info.deliveryCount >= maxDeliveries) {
      hub.log.warn('queue nats: handler failed on the last allowed delivery; terminating the message', { queue, deliveries: m.info.deliveryCount, deadLetter: deadLetter ?? 'none (dropped)', error: describeError(err) });
      if (deadLetter) await js.publish(deadLetter, m.data, { headers: m.headers }).catch((e: unknown) => hub.log.error('queue nats: dead-lettering failed', { error: describeError(e) }));
      m.term();
    } else m.nak(Math.min(100 * 2 ** (m.info.deliveryCount - 1), 5000));
  }

  const stop = async (): Promise<void> => {
    listening = undefined;
    await messages?.close().catch(() => undefined);
    await loop;
    await inFlight.idle();
  };
  return {
    transport: 'nats',
    get inFlight() {
      return inFlight.count;
    },
    async listen(handler: MessageHandler): Promise<void> {
      if (closed) throw new QueueClosedError(`nats consumer for "${queue}" is closed`);
      listening = handler;
      await subscribe(handler);
    },
    stop,
    async close(): Promise<void> {
      closed = true;
      await stop();
      await nc.drain().catch(() => nc.close());
    },
  };
}
