/**
 * clc_msa_utils' pattern end to end: the queue_config lives in a KVStore (a real etcd here), QueueFactory builds
 * producers and consumers on the local RabbitMQ from it, and a change in etcd rebuilds just the changed entry.
 * Also `exchange.create: false`: the exchange must exist and is never declared.
 */
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { ConsumerFactory, ConsumerRunner, KVStore, PRODUCERS, QueueFactory, QueueTopologyError, setQueueHub, type Hub, type QueueMessage } from '../../../src/index.ts';
import { deadPort } from '../../helpers/tcp-proxy.ts';
import { freePort } from '../../helpers/free-port.ts';
import { itWith, requireService } from '../../helpers/services.ts';
import { createVhost, deleteVhost, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { queueHub, until } from '../../helpers/queue.ts';
import { startEtcd, type EtcdCluster } from '../../helpers/etcd.ts';
import { TSPOP_ROOT, uniquePrefix } from '../../helpers/kv.ts';

const it = itWith('rabbitmq');
const etcdUp = requireService('etcd').available;
let vhost = '';
let etcd: EtcdCluster | undefined;
let hub: Hub | undefined;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  if (!requireService('rabbitmq').available) return;
  vhost = await createVhost();
  if (etcdUp) etcd = await startEtcd(1);
}, 90_000);
afterAll(async () => {
  await etcd?.stop();
  if (vhost) await deleteVhost(vhost);
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  await hub?.close();
  hub = undefined;
});

function entries(routingKey: string) {
  const conn = { host: '127.0.0.1', port: '5672', auth: { user: 'guest', password: 'guest' }, vhost };
  const exchange = { name: 'orders', type: 'topic', durable: true };
  return [
    { name: 'eu-orders', type: 'consumer', exchange, queue: 'orders.eu', binding_key: 'orders.eu.*', ...conn },
    { name: 'us-orders', type: 'consumer', exchange, queue: 'orders.us', binding_key: 'orders.us.*', ...conn },
    { name: 'new-order', type: 'producer', exchange, routing_key: routingKey, ...conn },
  ];
}

describe('QueueFactory with its queue_config in a KVStore on etcd', () => {
  it('builds from kv.get("queue_config"); an etcd change to one entry rebuilds just that producer', async () => {
    if (!etcdUp || !etcd) throw new Error('etcd is not available');
    ({ hub } = await queueHub());
    const kvPrefix = uniquePrefix('queue-config');
    const kv = new KVStore({ root: TSPOP_ROOT, backend: 'etcd', etcdEndpoints: etcd.endpoints, kvPrefix, reloadEnabled: true });
    cleanup.push(() => kv.close());
    await kv.put('queue_config', entries('orders.eu.new'));
    await until(async () => (await kv.get('queue_config')) !== undefined, 30_000, 'the queue_config in the store');

    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const queueConfig = await kv.get<string>('queue_config');
    const consumers = await f.createConsumers(queueConfig);
    const producers = await f.createProducers(queueConfig);
    const got: Array<[string, unknown]> = [];
    for (const name of ['eu-orders', 'us-orders']) await consumers[name]!.listen((body) => void got.push([name, body]));
    await producers['new-order']!.publish({ n: 1 });
    await until(() => got.length === 1, 30_000, 'the first order');
    const euBefore = consumers['eu-orders'];

    f.watch(kv);
    await kv.put('queue_config', entries('orders.us.new'));
    // watch() applies the change in the background, make-before-break: the entry swaps once the new one is up
    await until(() => producers['new-order']!.config().routing_key === 'orders.us.new', 30_000, 'the rebuilt producer');
    expect(consumers['eu-orders']).toBe(euBefore);
    await producers['new-order']!.publish({ n: 2 });
    await until(() => got.length === 2, 30_000, 'the second order');
    expect(got).toEqual([['eu-orders', { n: 1 }], ['us-orders', { n: 2 }]]);
  }, 120_000);

  it('a reload the broker refuses keeps the previous producer working and logs why', async () => {
    if (!etcdUp || !etcd) throw new Error('etcd is not available');
    const { hub: h, log } = await queueHub();
    hub = h;
    const kv = new KVStore({ root: TSPOP_ROOT, backend: 'etcd', etcdEndpoints: etcd.endpoints, kvPrefix: uniquePrefix('queue-config-bad'), reloadEnabled: true });
    cleanup.push(() => kv.close());
    await kv.put('queue_config', entries('orders.eu.new'));
    await until(async () => (await kv.get('queue_config')) !== undefined, 30_000, 'the queue_config in the store');
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const consumers = await f.createConsumers(await kv.get<string>('queue_config'));
    const producers = await f.createProducers(await kv.get<string>('queue_config'));
    const got: unknown[] = [];
    await consumers['eu-orders']!.listen((body) => void got.push(body));
    f.watch(kv);
    // the same exchange name with another type: the broker refuses to declare it
    const bad = entries('orders.eu.new').map((e) => (e.type === 'producer' ? { ...e, exchange: { name: 'orders', type: 'fanout', durable: true } } : e));
    await kv.put('queue_config', bad);
    await until(() => log.records.some((r) => r.msg.startsWith('QueueFactory: applying the reloaded queue_config failed')), 30_000, 'the failure logged');
    expect(producers['new-order']!.config().exchange).toEqual({ name: 'orders', type: 'topic', durable: true });
    await producers['new-order']!.publish({ still: 'works' });
    await until(() => got.length === 1, 30_000, 'an order through the kept producer');
    expect(got).toEqual([{ still: 'works' }]);
  }, 120_000);
});

describe('exchange.create: false (clc_msa_utils)', () => {
  it('a missing exchange is not declared: a coded error names it', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const config = [{ name: 'p', type: 'producer', exchange: { name: 'not-made-here', type: 'topic', create: false }, routing_key: 'a.b', vhost }];
    const err = await f.createProducers(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueTopologyError);
    expect(String((err as Error).message)).toContain('not-made-here');
    const exchanges = await rabbitmqctl('list_exchanges', '-p', vhost, 'name');
    expect(exchanges).not.toContain('not-made-here');
  });

  it('an existing exchange is used as it is, whatever type the entry says', async () => {
    ({ hub } = await queueHub());
    const made = new QueueFactory({ hub });
    cleanup.push(() => made.close());
    const owner = [{ name: 'c', type: 'consumer', exchange: { name: 'ops', type: 'fanout' }, queue: 'ops.all', vhost }];
    const got: unknown[] = [];
    await (await made.createConsumers(owner)).c!.listen((body, m: QueueMessage) => void got.push([body, m.routingKey]));
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    // 'direct' would be refused by the broker (PRECONDITION_FAILED) if it were declared
    const config = [{ name: 'p', type: 'producer', exchange: { name: 'ops', type: 'direct', create: 'false' as const }, routing_key: 'x', vhost }];
    await (await f.createProducers(config)).p!.publish({ op: 'restart' });
    await until(() => got.length === 1);
    expect(got).toEqual([[{ op: 'restart' }, 'x']]);
  });

  it('create must be a boolean', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    // a JSON queue_config (as a KV store holds it) can carry anything
    const config = JSON.stringify([{ name: 'p', type: 'producer', exchange: { name: 'ops', create: 'no' }, vhost }]);
    await expect(f.createProducers(config)).rejects.toMatchObject({ code: 'TSPOP_ERR_QUEUE_CONFIG', message: expect.stringContaining('exchange.create') });
  });
});

describe('what a clc_msa_utils user does next', () => {
  it('a queue_config of several producers, made at once in a fresh hub (the amqp layer is added once)', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const config = ['a', 'b', 'c'].map((n) => ({ name: n, type: 'producer', queue: `many.${n}`, vhost }));
    expect(Object.keys(await f.createProducers(config)).sort()).toEqual(['a', 'b', 'c']);
  });

  it('handles one message at a time, in order, unless concurrency says otherwise', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const config = [
      { name: 'in', type: 'consumer', queue: 'in-order', vhost },
      { name: 'out', type: 'producer', queue: 'in-order', vhost },
    ];
    const consumers = await f.createConsumers(config);
    const producers = await f.createProducers(config);
    for (let i = 0; i < 8; i++) await producers.out!.publish({ i });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await consumers.in!.listen(async (body) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 30));
      order.push((body as { i: number }).i);
      running--;
    });
    await until(() => order.length === 8, 30_000, 'eight messages');
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await expect(consumers.in!.listen(() => undefined)).rejects.toMatchObject({ code: 'TSPOP_ERR_QUEUE_STATE' });
  });

  it('a broker that is not there, or a vhost that does not exist, fails with a coded error instead of hanging', async () => {
    ({ hub } = await queueHub());
    const port = await deadPort();
    await expect(hub.queue.init.producer('amqp', { queue: 'x', port, startTimeoutMs: 500 })).rejects.toMatchObject({ code: 'TSPOP_ERR_AMQP_UNREACHABLE' });
    await expect(hub.queue.init.consumer('amqp', { queue: 'x', vhost: `no-such-${vhost}` })).rejects.toMatchObject({ code: 'TSPOP_ERR_AMQP_LOGIN_REFUSED' });
  });

  it('an entry whose type is neither consumer nor producer is an error naming it, not skipped', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    await expect(f.createConsumers([{ name: 'in', type: 'Consumer', queue: 'q' }])).rejects.toMatchObject({ code: 'TSPOP_ERR_QUEUE_CONFIG', message: expect.stringContaining('"in"') });
  });

  it('ConsumerFactory port is the HTTP server port: an AMQP loop from the same code still reaches its broker', async () => {
    ({ hub } = await queueHub());
    setQueueHub(hub);
    const type = 'RMQIOHandler';
    const consumers = new ConsumerFactory(type, { port: 9000, vhost });
    const got: unknown[] = [];
    consumers.route('routed', (msg) => void got.push(msg));
    const port = await freePort();
    const runner = new ConsumerRunner({ consumers: consumers.instances, handlers: consumers.handlers, port, host: '127.0.0.1', signals: [] });
    const running = runner.run();
    await runner.started();
    const p = new PRODUCERS[type]!('routed', { vhost });
    await p.init();
    cleanup.push(() => p.close());
    await p.send({ ok: 1 });
    await until(() => got.length === 1);
    await runner.stop();
    await running;
    // and the runner's port and host are where an HTTP consumer serves
    const http = new ConsumerFactory('HTTPHandler');
    http.route('web', (msg) => void got.push(msg));
    const web = new ConsumerRunner({ consumers: http.instances, handlers: http.handlers, port, host: '127.0.0.1', signals: [] });
    const serving = web.run();
    await web.started();
    expect(http.instances[0]!.port).toBe(port);
    await web.stop();
    await serving;
  });
});

