/**
 * hub.amqp.publisher against the real RabbitMQ (127.0.0.1:5672, guest/guest), in a vhost of this file's own.
 */
import { describe, expect, vi } from 'vitest';
import { connect } from 'amqplib';
import { AmqpChannelError, AmqpClosedError, AmqpNackError, AmqpReturnedError } from '../../../plugins/amqp/_errors.ts';
import type { AmqpConnection } from '../../../plugins/amqp/_lib/types.ts';
import { itWith } from '../../helpers/services.ts';
import { amqpTestContext } from '../../helpers/amqp.ts';
import { cuttableProxy, deadPort } from '../../helpers/tcp-proxy.ts';
import { BROKER, firstOccurrences, readQueue } from '../../helpers/rabbitmq.ts';

const it = itWith('rabbitmq');
const t = amqpTestContext();

async function open(extra: Record<string, unknown> = {}): Promise<AmqpConnection> {
  const hub = await t.start();
  return hub.amqp.connection.open({ host: '127.0.0.1', username: 'guest', password: 'guest', vhost: t.vhost, minBackoffMs: 20, maxBackoffMs: 200, ...extra });
}

const numbers = (msgs: Array<{ content: Buffer }>) => msgs.map((m) => Number(m.content.toString()));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('hub.amqp.publisher', () => {
  it('resolves each publish on the broker\'s confirm, in call order, persistent by default', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-order' }] });
    const pub = t.hub.amqp.publisher.create(conn);

    await Promise.all(range(300).map((i) => pub.publish('', 'pub-order', String(i), { messageId: `m${i}` })));

    const msgs = await readQueue(t.vhost, 'pub-order', 300);
    expect(numbers(msgs)).toEqual(range(300));
    expect(msgs[0]?.properties).toMatchObject({ deliveryMode: 2, messageId: 'm0' });
    expect(pub.stats).toMatchObject({ published: 300, confirmed: 300 });
    expect(pub.pending).toBe(0);
  });

  it('re-sends what was in flight when the connection was reset, in order (at-least-once, no gap)', async () => {
    const proxy = await cuttableProxy(BROKER.port);
    const conn = await open({ port: proxy.port });
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-reset' }] });
    const pub = t.hub.amqp.publisher.create(conn);
    await pub.publish('', 'pub-reset', '-1'); // its channel is open now
    const n = 4000;
    const done: Array<Promise<void>> = [];
    for (let i = 0; i < n / 2; i++) done.push(pub.publish('', 'pub-reset', String(i)));
    proxy.cut(); // nothing confirmed yet: everything sent so far is in flight
    for (let i = n / 2; i < n; i++) done.push(pub.publish('', 'pub-reset', String(i)));

    await Promise.all(done);

    expect(conn.stats.disconnects).toBeGreaterThanOrEqual(1);
    expect(pub.stats.resent).toBeGreaterThan(0);
    expect(firstOccurrences(numbers(await readQueue(t.vhost, 'pub-reset', n + 1))).slice(1)).toEqual(range(n));
    await proxy.close();
  }, 60_000);

  it('holds at most bufferSize messages while the broker is unreachable; publish waits for room; close() fails the rest', async () => {
    const conn = await open({ port: await deadPort() });
    const pub = t.hub.amqp.publisher.create(conn, { bufferSize: 2 });
    const settled: string[] = [];
    const track = (name: string, p: Promise<void>) => p.then(() => settled.push(`${name} ok`), (e: unknown) => settled.push(`${name} ${(e as { code?: string }).code}`));
    const all = [track('a', pub.publish('', 'q', 'a')), track('b', pub.publish('', 'q', 'b')), track('c', pub.publish('', 'q', 'c'))];

    await vi.waitFor(() => expect(conn.stats.connectFailures).toBeGreaterThan(0), { timeout: 20_000 });
    expect(pub.pending).toBe(3); // two buffered, one waiting for room
    expect(settled).toEqual([]);
    await pub.close({ drainMs: 0 });
    await Promise.all(all);

    expect(settled).toEqual(['a TSPOP_ERR_AMQP_CLOSED', 'b TSPOP_ERR_AMQP_CLOSED', 'c TSPOP_ERR_AMQP_CLOSED']);
    await expect(pub.publish('', 'q', 'late')).rejects.toBeInstanceOf(AmqpClosedError);
  });

  it('sends what it buffered while the broker was unreachable once it is reachable, in order', async () => {
    const port = await deadPort();
    const conn = await open({ urls: [`amqp://guest:guest@127.0.0.1:${port}/${encodeURIComponent(t.vhost)}`, `amqp://guest:guest@127.0.0.1:${BROKER.port}/${encodeURIComponent(t.vhost)}`] });
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-buffered' }] });
    const pub = t.hub.amqp.publisher.create(conn, { bufferSize: 50 });

    await Promise.all(range(200).map((i) => pub.publish('', 'pub-buffered', String(i))));

    expect(numbers(await readQueue(t.vhost, 'pub-buffered', 200))).toEqual(range(200));
  });

  it('retries a nacked message (x-overflow reject-publish), then rejects it with TSPOP_ERR_AMQP_NACK', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-full', durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }] });
    const pub = t.hub.amqp.publisher.create(conn, { maxRetries: 2 });
    await pub.publish('', 'pub-full', 'fits');

    const err = await pub.publish('', 'pub-full', 'overflows').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AmqpNackError);
    expect(pub.stats.nacked).toBe(3); // the first try and both retries
    expect(numbers(await readQueue(t.vhost, 'pub-full', 1)).length).toBe(1);
    await expect(pub.publish('', 'pub-full', 'room again')).resolves.toBeUndefined(); // the queue was read empty
  });

  it('a nacked message that finds room on a retry is confirmed', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-drains', durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }] });
    const pub = t.hub.amqp.publisher.create(conn, { maxRetries: 50 });
    await pub.publish('', 'pub-drains', 'first');

    const second = pub.publish('', 'pub-drains', 'second');
    await vi.waitFor(() => expect(pub.stats.nacked).toBeGreaterThan(0), { timeout: 20_000 });
    const drained = await readQueue(t.vhost, 'pub-drains', 1);
    await second;

    expect(drained.map((m) => m.content.toString())).toEqual(['first']);
    expect((await readQueue(t.vhost, 'pub-drains', 1)).map((m) => m.content.toString())).toEqual(['second']);
  });

  it('a mandatory message nobody can receive rejects with TSPOP_ERR_AMQP_RETURNED (reply code 312); routable ones resolve', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, {
      exchanges: [{ name: 'pub-topic', type: 'topic', durable: false }],
      queues: [{ name: 'pub-routed', durable: false }],
      bindings: [{ queue: 'pub-routed', exchange: 'pub-topic', routingKey: 'known.#' }],
    });
    const pub = t.hub.amqp.publisher.create(conn);

    const [lost, routed, plain] = await Promise.allSettled([
      pub.publish('pub-topic', 'nobody.listens', 'x', { mandatory: true }),
      pub.publish('pub-topic', 'known.key', 'y', { mandatory: true }),
      pub.publish('pub-topic', 'nobody.listens', 'z'),
    ]);

    expect(lost.status === 'rejected' && lost.reason).toBeInstanceOf(AmqpReturnedError);
    expect(lost.status === 'rejected' && lost.reason).toMatchObject({ replyCode: 312, exchange: 'pub-topic', routingKey: 'nobody.listens' });
    expect(routed.status).toBe('fulfilled');
    expect(plain.status).toBe('fulfilled'); // not mandatory: the broker drops it silently, as AMQP says
    expect(pub.stats.returned).toBe(1);
  });

  it('a message to a missing exchange fails with TSPOP_ERR_AMQP_CHANNEL after its retries; the publisher goes on', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-after', durable: false }] });
    const pub = t.hub.amqp.publisher.create(conn, { maxRetries: 1 });

    const err = await pub.publish('no-such-exchange', 'k', 'x').catch((e: unknown) => e);
    await pub.publish('', 'pub-after', 'still works');

    expect(err).toBeInstanceOf(AmqpChannelError);
    expect((err as Error).message).toContain("no exchange 'no-such-exchange'");
    expect((await readQueue(t.vhost, 'pub-after', 1)).map((m) => m.content.toString())).toEqual(['still works']);
    expect(conn.stats.disconnects).toBe(0); // only the channel was closed
  });

  it('close() waits for pending confirms (drain deadline) and then closes', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-drain' }] });
    const pub = t.hub.amqp.publisher.create(conn);
    const all = range(1000).map((i) => pub.publish('', 'pub-drain', String(i)));

    await pub.close({ drainMs: 20_000 });

    await expect(Promise.all(all)).resolves.toBeDefined();
    expect((await readQueue(t.vhost, 'pub-drain', 1000)).length).toBe(1000);
  });

  it('raw amqplib sees a publisher\'s properties and headers as given', async () => {
    const conn = await open();
    await t.hub.amqp.topology.declare(conn, { queues: [{ name: 'pub-props', durable: false }] });
    const pub = t.hub.amqp.publisher.create(conn);
    await pub.publish('', 'pub-props', '{}', { contentType: 'application/json', correlationId: 'c1', replyTo: 'r1', headers: { message_type: 3 }, persistent: false });
    const raw = await connect({ ...BROKER, vhost: t.vhost });
    const ch = await raw.createChannel();
    const msg = await ch.get('pub-props', { noAck: true });
    await raw.close();
    expect(msg && msg.properties).toMatchObject({ contentType: 'application/json', correlationId: 'c1', replyTo: 'r1', deliveryMode: 1, headers: { message_type: 3 } });
  });
});
