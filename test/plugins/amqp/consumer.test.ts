/**
 * hub.amqp.consumer against the real RabbitMQ: ack after the handler, requeue with a redelivery limit, then
 * dead-lettering; prefetch; re-subscribing after a reset; a clear error for a queue that is not there.
 */
import { describe, expect, vi } from 'vitest';
import { connect } from 'amqplib';
import { AmqpTopologyError } from '../../../plugins/amqp/_errors.ts';
import type { AmqpConnection, AmqpDelivery } from '../../../plugins/amqp/_lib/types.ts';
import { itWith } from '../../helpers/services.ts';
import { amqpTestContext } from '../../helpers/amqp.ts';
import { cuttableProxy } from '../../helpers/tcp-proxy.ts';
import { BROKER, readQueue } from '../../helpers/rabbitmq.ts';

const it = itWith('rabbitmq');
const t = amqpTestContext();

async function open(extra: Record<string, unknown> = {}): Promise<AmqpConnection> {
  const hub = await t.start();
  return hub.amqp.connection.open({ host: '127.0.0.1', vhost: t.vhost, minBackoffMs: 20, maxBackoffMs: 200, ...extra });
}

/** Messages ready (not delivered) and unacked on `queue`. */
async function depth(queue: string): Promise<number> {
  const raw = await connect({ ...BROKER, vhost: t.vhost });
  try {
    return (await (await raw.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await raw.close();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('hub.amqp.consumer', () => {
  it('acks a delivery only after its handler resolved', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'c-ack' }] });
    const pub = t.hub.amqp.publisher.create(conn);
    await pub.publish('', 'c-ack', 'one');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];

    const consumer = await t.hub.amqp.consumer.consume(conn, 'c-ack', async (m: AmqpDelivery) => {
      seen.push(m.content.toString());
      await gate;
    });
    await vi.waitFor(() => expect(seen).toEqual(['one']), { timeout: 20_000 });
    await consumer.cancel({ drainMs: 0 }); // the handler never finished: the message goes back to the queue
    release();

    await vi.waitFor(async () => expect(await depth('c-ack')).toBe(1), { timeout: 20_000 });
    expect(consumer.stats.acked).toBe(0);
    const again = await t.hub.amqp.consumer.consume(conn, 'c-ack', () => undefined);
    await vi.waitFor(() => expect(again.stats.acked).toBe(1), { timeout: 20_000 });
    await vi.waitFor(async () => expect(await depth('c-ack')).toBe(0), { timeout: 20_000 });
  });

  it('requeues a failing message up to maxRedeliveries, then dead-letters it; the others flow past it', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, {
      exchanges: [{ name: 'c-dlx', type: 'fanout', durable: false }],
      queues: [{ name: 'c-dead', durable: false }, { name: 'c-work', durable: false, arguments: { 'x-dead-letter-exchange': 'c-dlx' } }],
      bindings: [{ queue: 'c-dead', exchange: 'c-dlx', routingKey: '' }],
    });
    const pub = t.hub.amqp.publisher.create(conn);
    const runs = new Map<string, number[]>();
    const consumer = await t.hub.amqp.consumer.consume(conn, 'c-work', (m: AmqpDelivery) => {
      const body = m.content.toString();
      runs.set(body, [...(runs.get(body) ?? []), m.redeliveries]);
      expect(m.fields.routingKey).toBe('c-work');
      if (body === 'poison') throw new Error('cannot handle this one');
    }, { maxRedeliveries: 3 });
    await pub.publish('', 'c-work', 'poison', { messageId: 'p1' });
    for (let i = 0; i < 5; i++) await pub.publish('', 'c-work', `ok${i}`);

    const dead = await readQueue(t.vhost, 'c-dead', 1, 30_000);

    expect(dead.map((m) => m.content.toString())).toEqual(['poison']);
    expect(dead[0]?.properties.messageId).toBe('p1');
    expect(runs.get('poison')).toEqual([0, 1, 2, 3]); // the first run and three redeliveries
    for (let i = 0; i < 5; i++) expect(runs.get(`ok${i}`)).toEqual([0]);
    expect(consumer.stats).toMatchObject({ requeued: 3, rejected: 1 });
    expect(t.log.records.some((r) => r.fields?.code === 'TSPOP_ERR_AMQP_HANDLER')).toBe(true);
  }, 60_000);

  it('re-published copies keep the original exchange and routing key for the handler', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, {
      exchanges: [{ name: 'c-topic', type: 'topic', durable: false }],
      queues: [{ name: 'c-keys', durable: false }],
      bindings: [{ queue: 'c-keys', exchange: 'c-topic', routingKey: 'a.#' }],
    });
    const seen: Array<[string, string, number]> = [];
    await t.hub.amqp.consumer.consume(conn, 'c-keys', (m: AmqpDelivery) => {
      seen.push([m.fields.exchange, m.fields.routingKey, m.redeliveries]);
      if (m.redeliveries === 0) throw new Error('once');
    });
    await t.hub.amqp.publisher.create(conn).publish('c-topic', 'a.b', 'x');

    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 20_000 });
    expect(seen).toEqual([['c-topic', 'a.b', 0], ['c-topic', 'a.b', 1]]);
  });

  it('runs at most prefetch handlers at once', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'c-prefetch', durable: false }] });
    const pub = t.hub.amqp.publisher.create(conn);
    await Promise.all(range(30).map((i) => pub.publish('', 'c-prefetch', String(i))));
    let running = 0;
    let most = 0;
    let done = 0;

    await t.hub.amqp.consumer.consume(conn, 'c-prefetch', async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      done++;
    }, { prefetch: 4 });

    await vi.waitFor(() => expect(done).toBe(30), { timeout: 20_000 });
    expect(most).toBe(4);
  });

  it('subscribes again after the connection was reset; what was unacked is redelivered, nothing is lost', async () => {
    const proxy = await cuttableProxy(BROKER.port);
    const conn = await open({ port: proxy.port });
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'c-reset' }] });
    const pub = t.hub.amqp.publisher.create(conn);
    await Promise.all(range(200).map((i) => pub.publish('', 'c-reset', String(i))));
    const handled = new Set<number>();
    let cut = false;

    const consumer = await t.hub.amqp.consumer.consume(conn, 'c-reset', async (m: AmqpDelivery) => {
      const n = Number(m.content.toString());
      if (n === 50 && !cut) {
        cut = true;
        proxy.cut(); // this delivery's ack can never reach the broker now
      }
      handled.add(n);
    });

    await vi.waitFor(() => expect(handled.size).toBe(200), { timeout: 30_000 });
    await vi.waitFor(async () => expect(await depth('c-reset')).toBe(0), { timeout: 30_000 });
    expect(consumer.stats.subscribes).toBeGreaterThanOrEqual(2);
    await proxy.close();
  }, 60_000);

  it('a queue that does not exist fails consume() with TSPOP_ERR_AMQP_TOPOLOGY (404), and the connection stays up', async () => {
    const conn = await open();

    const err = await t.hub.amqp.consumer.consume(conn, 'c-missing', () => undefined).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AmqpTopologyError);
    expect(err).toMatchObject({ replyCode: 404 });
    expect((err as Error).message).toContain('c-missing');
    expect(conn.connected).toBe(true);
  });
});
