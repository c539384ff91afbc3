import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { QueueBrokerPluginError, QueueFactory, type Hub, type QueueMessage } from '../../../src/index.ts';
import { itWith } from '../../helpers/services.ts';
import { createVhost, deleteVhost, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { queueHub, until } from '../../helpers/queue.ts';
import { cuttableProxy } from '../../helpers/tcp-proxy.ts';

const it = itWith('rabbitmq');
let vhost = '';
let hub: Hub | undefined;
const cleanup: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  if (it === (it as unknown as { skip: unknown }).skip) return;
  vhost = await createVhost().catch(() => '');
});
afterAll(async () => {
  if (vhost) await deleteVhost(vhost);
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  await hub?.close();
  hub = undefined;
});

/** The seed's queue_config: a topic exchange, a consumer bound with a binding key, a producer with a routing key. */
function seedConfig(routingKey: string) {
  const conn = { host: '127.0.0.1', port: '5672', auth: { user: 'guest', password: 'guest' }, vhost };
  return {
    queue_config: [
      { name: 'eu-orders', type: 'consumer', exchange: { name: 'orders', type: 'topic', durable: true }, queue: 'orders.eu', binding_key: 'orders.eu.*', ...conn },
      { name: 'new-order', type: 'producer', exchange: { name: 'orders', type: 'topic', durable: true }, routing_key: routingKey, ...conn },
    ],
  };
}

describe('hub.queue.amqp on the local RabbitMQ', () => {
  it('topic exchange + binding-key routing from queue_config: only matching routing keys arrive', async () => {
    ({ hub } = await queueHub());
    const f = new QueueFactory({ hub });
    cleanup.push(() => f.close());
    const consumers = await f.createConsumers(seedConfig('orders.eu.new'));
    const got: unknown[] = [];
    await consumers['eu-orders']!.listen(async (body, m: QueueMessage) => void got.push([body, m.routingKey]));
    const eu = (await f.createProducers(seedConfig('orders.eu.new')))['new-order']!;
    const f2 = new QueueFactory({ hub });
    cleanup.push(() => f2.close());
    const us = (await f2.createProducers(seedConfig('orders.us.new')))['new-order']!;
    await us.publish({ id: 'us-1' });
    await eu.publish({ id: 'eu-1' });
    await until(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([[{ id: 'eu-1' }, 'orders.eu.new']]);
  });

  it('a failing handler is redelivered up to maxDeliveries, then the next message is handled', async () => {
    ({ hub } = await queueHub());
    const c = await hub.queue.init.consumer('amqp', { queue: 'redeliver', vhost, maxDeliveries: 3 });
    cleanup.push(() => c.close());
    const seen: string[] = [];
    await c.listen((m: QueueMessage) => {
      seen.push(`${m.body}#${m.deliveryCount}`);
      if (m.body.toString() === 'poison') throw new Error('no');
    });
    const p = await hub.queue.init.producer('amqp', { queue: 'redeliver', vhost });
    cleanup.push(() => p.close());
    await p.send('poison');
    await p.send('fine');
    await until(() => seen.includes('fine#1'));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((s) => s.startsWith('poison'))).toEqual(['poison#1', 'poison#2', 'poison#3']);
  });

  it('rabbitmqctl close_all_connections mid-stream: every confirmed message reaches the consumer', async () => {
    ({ hub } = await queueHub());
    const c = await hub.queue.init.consumer('amqp', { queue: 'outage', vhost, prefetch: 50 });
    cleanup.push(() => c.close());
    const got = new Set<string>();
    await c.listen((m: QueueMessage) => void got.add(m.body.toString()));
    const p = await hub.queue.init.producer('amqp', { queue: 'outage', vhost });
    cleanup.push(() => p.close());
    const confirmed: string[] = [];
    const n = 3000;
    let i = 0;
    const sending = Promise.all(Array.from({ length: 32 }, async () => {
      while (i < n) {
        const id = `m${i++}`;
        await p.send(id, { id });
        confirmed.push(id);
      }
    }));
    await until(() => confirmed.length > 500);
    await rabbitmqctl('close_all_connections', '-p', vhost, 'test outage');
    await sending;
    await until(() => confirmed.every((id) => got.has(id)), 60_000, 'every confirmed message');
    expect(confirmed.length).toBe(n);
  }, 120_000);

  it('x-delayed-message without the broker plugin fails with a coded error naming the plugin', async () => {
    ({ hub } = await queueHub());
    const err = await hub.queue.init.producer('amqp', { vhost, exchange: { name: 'later', type: 'x-delayed-message', arguments: { 'x-delayed-type': 'topic' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueBrokerPluginError);
    expect(String((err as Error).message)).toContain('rabbitmq_delayed_message_exchange');
  });

  // A second RabbitMQ node could not be started next to the machine's broker within this work's time box, so
  // failover is shown with two loopback TCP proxies in front of the real broker as the two "nodes".
  it('a list of broker URLs: when the node in use dies the producer and consumer fail over, losing nothing confirmed', async () => {
    ({ hub } = await queueHub());
    const a = await cuttableProxy(5672);
    const b = await cuttableProxy(5672);
    cleanup.push(() => a.close(), () => b.close());
    const urls = [a, b].map((x) => `amqp://guest:guest@127.0.0.1:${x.port}/${encodeURIComponent(vhost)}`);
    const c = await hub.queue.init.consumer('amqp', { queue: 'failover', urls, queue_type: 'quorum' });
    cleanup.push(() => c.close());
    const got = new Set<string>();
    await c.listen((m: QueueMessage) => void got.add(m.body.toString()));
    const p = await hub.queue.init.producer('amqp', { queue: 'failover', urls, queue_type: 'quorum' });
    cleanup.push(() => p.close());
    const confirmed: string[] = [];
    let i = 0;
    const sending = Promise.all(Array.from({ length: 16 }, async () => {
      while (i < 1000) {
        const id = `f${i++}`;
        await p.send(id, { id });
        confirmed.push(id);
      }
    }));
    await until(() => confirmed.length > 200);
    // the node dies: its connections reset and it accepts no new ones
    await a.close();
    await sending;
    await until(() => confirmed.every((id) => got.has(id)), 60_000, 'every confirmed message after failover');
    expect(confirmed.length).toBe(1000);
  }, 120_000);
});
