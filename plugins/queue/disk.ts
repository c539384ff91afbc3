/**
 * hub.queue.disk — a durable on-disk queue (infi.ramen_client's spool, rebuilt on appended, checksummed
 * records with group-commit fsync: see _lib/spool/spool-writer.ts). `send()` resolves once the message is on
 * disk; a consumer reads in order, acknowledges after its handler succeeds, and resumes after a restart
 * (at-least-once). Several producers, in any number of processes, may share one directory; one consumer at a
 * time reads it.
 *
 * Options: `queue` (the directory), `maxQueueBytes` (soft limit, default 5 GiB), `segmentBytes`; consumers also
 * `maxDeliveries` (then the message is dropped and logged), `pollMs` (how often to look for records written by
 * other processes, default 200).
 */
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/errors.ts';
import { QueueClosedError } from './_errors.ts';
import { consumerLimits, positiveInt, queueName, toBuffer } from './_lib/options.ts';
import { SpoolWriter } from './_lib/spool/spool-writer.ts';
import { SpoolReader, type SpoolRecord } from './_lib/spool/spool-reader.ts';
import { waitFlushed } from './_lib/spool/spool-signal.ts';
import { decodeEnvelope, encodeEnvelope } from './_lib/spool/envelope.ts';
import type { MessageHandler, QueueMessage, SendOptions, TransportConsumer, TransportOptions, TransportProducer } from './_lib/types.ts';

export async function producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer> {
  const where = 'queue disk producer';
  const dir = queueName(where, opts);
  const writer = new SpoolWriter(dir, {
    log: hub.log,
    maxQueueBytes: opts.maxQueueBytes === undefined ? undefined : positiveInt(where, 'maxQueueBytes', opts.maxQueueBytes, 1),
    segmentBytes: opts.segmentBytes === undefined ? undefined : positiveInt(where, 'segmentBytes', opts.segmentBytes, 1),
  });
  return {
    transport: 'disk',
    send(body: Buffer | string, o: SendOptions = {}): Promise<void> {
      return writer.push(encodeEnvelope({ contentType: o.contentType, headers: o.headers, id: o.id, routingKey: o.routingKey }, toBuffer(body)));
    },
    close: () => writer.close(),
  };
}

export async function consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer> {
  const where = 'queue disk consumer';
  const dir = queueName(where, opts);
  const { maxDeliveries } = consumerLimits(where, opts);
  const pollMs = positiveInt(where, 'pollMs', opts.pollMs, 200);
  const reader = new SpoolReader(dir, hub.log);
  await reader.open();
  let running: Promise<void> | undefined;
  let stopping = false;
  let busy = 0;
  let closed = false;

  async function loop(handler: MessageHandler): Promise<void> {
    let failures = 0;
    let last: SpoolRecord | undefined;
    while (!stopping) {
      const rec = await reader.next();
      if (!rec) {
        await waitFlushed(dir, pollMs);
        continue;
      }
      failures = last && last.segment === rec.segment && last.offset === rec.offset ? failures : 0;
      last = rec;
      const { meta, body } = decodeEnvelope(rec.payload);
      const msg: QueueMessage = {
        queue: dir, body, contentType: meta.contentType, headers: meta.headers ?? {}, id: meta.id, routingKey: meta.routingKey,
        redelivered: failures > 0, deliveryCount: failures + 1, raw: rec,
      };
      busy = 1;
      try {
        await handler(msg);
        await reader.ack(rec);
      } catch (err) {
        failures++;
        if (failures >= maxDeliveries) {
          hub.log.warn('queue disk: handler failed on the last allowed delivery; dropping the message', { dir, deliveries: failures, error: describeError(err) });
          await reader.ack(rec);
        }
      } finally {
        busy = 0;
      }
    }
  }

  return {
    transport: 'disk',
    get inFlight() {
      return busy;
    },
    async listen(handler: MessageHandler): Promise<void> {
      if (closed) throw new QueueClosedError(`disk consumer for ${dir} is closed`);
      running ??= loop(handler).catch((err: unknown) => hub.log.error('queue disk: the consumer stopped on an error', { dir, error: describeError(err) }));
    },
    async stop(): Promise<void> {
      stopping = true;
      await running;
    },
    async close(): Promise<void> {
      stopping = true;
      closed = true;
      await running;
      await reader.close();
    },
  };
}
