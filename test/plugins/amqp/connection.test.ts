/**
 * hub.amqp.connection against the real RabbitMQ: sharing, fail-fast on a refused login, failover over a broker list
 * (to a second node the test starts and kills), and what a reconnect restores (topology, consumers) with no
 * confirmed message lost.
 */
import { describe, expect, it as plainIt, vi } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AmqpClosedError, AmqpLoginRefusedError, AmqpOptionsError, AmqpTopologyError, AmqpUnreachableError } from '../../../plugins/amqp/_errors.ts';
import type { AmqpDelivery } from '../../../plugins/amqp/_lib/types.ts';
import { itWith } from '../../helpers/services.ts';
import { amqpTestContext } from '../../helpers/amqp.ts';
import { cuttableProxy, deadPort } from '../../helpers/tcp-proxy.ts';
import { BROKER, firstOccurrences, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { secondRabbitMqNode } from '../../helpers/rabbitmq-node.ts';

const it = itWith('rabbitmq');
const SECRET = 'Hunter2-not/a@password';
const t = amqpTestContext();

const fields = (extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', username: 'guest', password: 'guest', vhost: t.vhost, minBackoffMs: 20, maxBackoffMs: 300, ...extra });
const url = (port: number, password = 'guest') => `amqp://guest:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(t.vhost)}`;

/** Connection names the broker lists for our vhost. */
async function brokerConnections(): Promise<string[]> {
  const out = await rabbitmqctl('list_connections', '-q', '--no-table-headers', 'vhost', 'client_properties');
  return out.split('\n').filter((l) => l.startsWith(`${t.vhost}\t`));
}

describe('hub.amqp.connection', () => {
  it('leases with the same broker, user, password and vhost share one connection; it closes with the last lease', async () => {
    const h = await t.start();
    const a = h.amqp.connection.open(fields({ label: 'family-a' }));
    const b = h.amqp.connection.open({ urls: url(BROKER.port), minBackoffMs: 20 });
    const other = h.amqp.connection.open(fields({ password: 'guest', username: 'guest', heartbeat: 10 }));
    await Promise.all([a.whenConnected(20_000), b.whenConnected(20_000), other.whenConnected(20_000)]);

    expect(a.key).toBe(b.key);
    expect(other.key).not.toBe(a.key);
    const refused = h.amqp.connection.open(fields({ password: SECRET }));
    expect(refused.key).not.toContain(SECRET); // a digest of the password, not the password
    await refused.close();
    await vi.waitFor(async () => expect(await brokerConnections()).toHaveLength(2), { timeout: 30_000 });
    await a.close();
    expect(b.connected).toBe(true);
    await b.close();
    await other.close();
    await vi.waitFor(async () => expect(await brokerConnections()).toHaveLength(0), { timeout: 30_000 });
    expect(h.amqp.connection.list()).toEqual([]);
  }, 60_000);

  it('hub.close() closes the leases it may (drained), and leaves held ones to their owner', async () => {
    const h = await t.start();
    const free = h.amqp.connection.open(fields({ heartbeat: 11 }));
    const held = h.amqp.connection.open(fields({ heartbeat: 12, hold: true }));
    await h.amqp.topology.declare(free, { queues: [{ name: 'closing' }] });
    const pub = h.amqp.publisher.create(free);
    const sent = Array.from({ length: 100 }, (_, i) => pub.publish('', 'closing', String(i)));
    await held.whenConnected(20_000);

    await h.close();

    await expect(Promise.all(sent)).resolves.toBeDefined(); // drained before closing
    expect(free.closed).toBe(true);
    expect(held.connected).toBe(true);
    await held.close();
    await vi.waitFor(async () => expect(await brokerConnections()).toHaveLength(0), { timeout: 30_000 });
  }, 60_000);

  it('reports each failed attempt (connectFailed) and a publisher\'s channel once it is open (whenReady)', async () => {
    const h = await t.start();
    const proxy = await cuttableProxy(await deadPort());
    const conn = h.amqp.connection.open({ urls: [url(proxy.port), url(BROKER.port)], minBackoffMs: 20 });
    const failed: unknown[] = [];
    conn.on('connectFailed', (info: unknown) => void failed.push(info));
    const pub = h.amqp.publisher.create(conn);
    expect(pub.connected).toBe(false);

    await pub.whenReady();

    expect(pub.connected).toBe(true);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]).toMatchObject({ attempt: 1 });
    await proxy.close();
  });

  it('a refused login fails fast with TSPOP_ERR_AMQP_LOGIN_REFUSED naming the broker, never the password, and stops retrying', async () => {
    const h = await t.start();
    const conn = h.amqp.connection.open(fields({ password: SECRET }));
    const pub = h.amqp.publisher.create(conn);
    const sent = pub.publish('', 'q', 'x').catch((e: unknown) => e);

    const err = await conn.whenConnected(20_000).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AmqpLoginRefusedError);
    expect((err as Error).message).toContain('127.0.0.1:5672');
    expect(await sent).toBeInstanceOf(AmqpLoginRefusedError);
    const failures = conn.stats.connectFailures;
    await new Promise((r) => setTimeout(r, 500));
    expect(conn.stats.connectFailures).toBe(failures); // no retry loop behind it
    expect(conn.closed).toBe(true);
    expect(t.log.records.filter((r) => /retrying/.test(r.msg))).toEqual([]);
    expect(JSON.stringify(t.log.records) + String(err) + String((err as Error).cause)).not.toContain(SECRET);
    expect(() => h.amqp.publisher.create(conn)).toThrow(AmqpLoginRefusedError);
  });

  it('fails over along the broker list: a dead node first, then the live one', async () => {
    const h = await t.start();
    const conn = h.amqp.connection.open({ urls: [url(await deadPort()), url(BROKER.port)], minBackoffMs: 20, label: 'cluster' });

    await conn.whenConnected(20_000);

    expect(conn.stats.connectFailures).toBeGreaterThanOrEqual(1);
    expect(conn.label).toBe('cluster');
  });

  it('not connected within the timeout: TSPOP_ERR_AMQP_UNREACHABLE naming the brokers tried, not the password', async () => {
    const h = await t.start();
    const conn = h.amqp.connection.open({ urls: [url(await deadPort(), SECRET)] });

    const err = await conn.whenConnected(300).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AmqpUnreachableError);
    expect((err as Error).message).toMatch(/127\.0\.0\.1:\d+/);
    expect((err as Error).message).not.toContain(SECRET);
    expect(JSON.stringify(t.log.records)).not.toContain(SECRET);
    await conn.close();
    await expect(conn.whenConnected()).rejects.toBeInstanceOf(AmqpClosedError);
  });

  it('after close_all_connections: topology declared again, consumers subscribed again, no confirmed message lost', async () => {
    const h = await t.start();
    const conn = h.amqp.connection.open(fields());
    // an exclusive auto-delete queue dies with the connection: only a re-declare brings it (and its binding) back
    const { queues: [service] } = await h.amqp.topology.declare(conn, {
      exchanges: [{ name: 'svc-requests', type: 'topic', durable: false }],
      queues: [{ name: '', exclusive: true, autoDelete: true }, { name: 'svc-durable' }],
    });
    await h.amqp.topology.declare(conn, {
      bindings: [{ queue: service as string, exchange: 'svc-requests', routingKey: 'svc.#' }, { queue: 'svc-durable', exchange: 'svc-requests', routingKey: 'svc.#' }],
    });
    const durable: number[] = [];
    const exclusive: number[] = [];
    const c1 = await h.amqp.consumer.consume(conn, 'svc-durable', (m: AmqpDelivery) => void durable.push(Number(m.content.toString())));
    const c2 = await h.amqp.consumer.consume(conn, service as string, (m: AmqpDelivery) => void exclusive.push(Number(m.content.toString())), { noAck: true });
    const pub = h.amqp.publisher.create(conn);
    const confirmed: number[] = [];
    let outage: Promise<string> | undefined;
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < 400; i++) {
      if (i === 100) outage = rabbitmqctl('close_all_connections', '-p', t.vhost, 'amqp layer outage test');
      if (i === 150) await outage;
      sends.push(pub.publish('svc-requests', 'svc.x', String(i), { mandatory: true }).then(() => void confirmed.push(i)));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(sends);

    // a durable queue keeps what was confirmed; the consumer sees every message (duplicates only from redelivery)
    await vi.waitFor(() => expect(new Set(durable).size).toBe(400), { timeout: 30_000 });
    expect(confirmed.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(conn.stats.disconnects).toBeGreaterThanOrEqual(1);
    expect(c1.stats.subscribes).toBeGreaterThanOrEqual(2);
    expect(c2.stats.subscribes).toBeGreaterThanOrEqual(2);
    // the exclusive queue is back under the same name, bound again: it gets what was published after the reconnect
    await vi.waitFor(() => expect(exclusive).toContain(399), { timeout: 30_000 });
  }, 60_000);
});

describe('hub.amqp.connection over a list: a second RabbitMQ node (started by the test, not clustered), then the machine broker', () => {
  const second = secondRabbitMqNode();
  const it = second.it;

  it('moves to the next broker when its node is killed mid-stream; every confirmed message is received or on the dead node\'s disk', async () => {
    const node = second.server;
    const h = await t.start();
    const conn = h.amqp.connection.open({ urls: [node.url(), url(BROKER.port)], minBackoffMs: 20 });
    await h.amqp.topology.declare(conn, { queues: [{ name: 'failover', type: 'quorum' }] });
    await node.syncMetadata(); // see syncMetadata: RabbitMQ 3.10's ra may otherwise forget a queue this new
    const got: number[] = [];
    // a slow consumer, so the killed node holds a backlog of confirmed messages nobody has received yet
    const c = await h.amqp.consumer.consume(conn, 'failover', async (m: AmqpDelivery) => {
      got.push(Number(m.content.toString()));
      await new Promise((r) => setTimeout(r, 2));
    }, { prefetch: 1 });
    const pub = h.amqp.publisher.create(conn);
    const confirmed: number[] = [];
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < 600; i++) {
      if (i === 300) {
        await vi.waitFor(() => expect(confirmed.length).toBeGreaterThan(100), { timeout: 30_000 });
        await node.kill(); // a crash: SIGKILL to the Erlang VM
      }
      sends.push(pub.publish('', 'failover', String(i)).then(() => void confirmed.push(i)));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(sends);

    expect(confirmed.sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i)); // none failed
    expect(conn.stats.disconnects).toBeGreaterThanOrEqual(1);
    // the queue was declared again and the consumer subscribed again on the machine broker: what was published after
    // the crash arrives there, in order
    await vi.waitFor(() => expect(new Set(got.filter((i) => i >= 300)).size).toBe(300), { timeout: 60_000 });
    expect(firstOccurrences(got.filter((i) => i >= 300))).toEqual(Array.from({ length: 300 }, (_, i) => 300 + i));
    expect(c.stats.subscribes).toBeGreaterThanOrEqual(2);

    // the rest is on the killed node's disk: restart it on its data folder and drain the queue there
    await node.restart();
    const pinned = h.amqp.connection.open({ urls: node.url(), minBackoffMs: 20 });
    const drained: number[] = [];
    await h.amqp.consumer.consume(pinned, 'failover', (m: AmqpDelivery) => void drained.push(Number(m.content.toString())));
    const missing = (): number[] => confirmed.filter((i) => !got.includes(i) && !drained.includes(i));
    await vi.waitFor(() => expect(missing()).toEqual([]), { timeout: 60_000 });
    expect(drained.length).toBeGreaterThan(0); // the backlog: the drain was needed
  }, 240_000);

  it('a subscribe the broker never answers (a quorum queue without a leader) rejects consume() with TSPOP_ERR_AMQP_TOPOLOGY, not a hang', async () => {
    const node = second.server;
    const h = await t.start();
    const before = h.amqp.connection.open({ urls: node.url(), minBackoffMs: 20 });
    await h.amqp.topology.declare(before, { queues: [{ name: 'leaderless', type: 'quorum' }] });
    await before.close();
    // the node loses track of the queue's Raft member, as RabbitMQ 3.10's ra does when it crashes before syncing
    // names.dets (see syncMetadata): restarted, it starts an empty member that never elects a leader
    await node.kill();
    rmSync(join(node.dir, 'data', node.name, 'quorum', node.name, 'names.dets'));
    await node.restart();
    const conn = h.amqp.connection.open({ urls: node.url(), minBackoffMs: 20 });

    const err = await h.amqp.consumer.consume(conn, 'leaderless', () => undefined, { subscribeTimeoutMs: 2000 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AmqpTopologyError);
    expect((err as Error).message).toContain('did not answer basic.consume on queue "leaderless" within 2000 ms');
  }, 120_000);
});

describe('hub.amqp.connection options', () => {
  plainIt.each([
    [{ port: 'x' }, '"port"'],
    [{ urls: 'http://h' }, 'amqp://'],
    [{ urls: [`amqp://u:${SECRET}@[bad`] }, 'urls[0]'],
    [{ password: 42 }, '"password"'],
    [{ tls: { verify: true } }, 'tls'],
    [{ minBackoffMs: 0 }, '"minBackoffMs"'],
    [{ hots: 'typo' }, 'hots'],
  ])('rejects %j with TSPOP_ERR_AMQP_OPTIONS naming the option, never a password', async (opts, key) => {
    const h = await t.start();
    const err = (() => {
      try {
        h.amqp.connection.open(opts);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AmqpOptionsError);
    expect((err as Error).message).toContain(key);
    expect((err as Error).message).not.toContain(SECRET);
  });
});
