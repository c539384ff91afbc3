import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { QueueBrokerPluginError, QueueFactory, type Hub, type QueueMessage } from '../../../src/index.ts';
import { itWith } from '../../helpers/services.ts';
import { createVhost, deleteVhost, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { queueHub, sendThroughCrash, until } from '../../helpers/queue.ts';
import { secondRabbitMqNode } from '../../helpers/rabbitmq-node.ts';

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

});

describe('hub.queue.amqp over a list of brokers: a second RabbitMQ node (started by the test, not clustered) and the machine broker', () => {
  const second = secondRabbitMqNode();
  const it = second.it;

  it('the node in use is killed mid-stream: producer and consumer fail over, the quorum queue is declared again, no confirmed message is lost', async () => {
    const node = second.server;
    ({ hub } = await queueHub());
    const opts = { queue: 'failover', queue_type: 'quorum', urls: [node.url(), `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`] };
    const c = await hub.queue.init.consumer('amqp', opts);
    cleanup.push(() => c.close());
    const got = new Set<string>();
    // a slow consumer, so the killed node holds a backlog of confirmed messages nobody has received yet
    await c.listen(async (m: QueueMessage) => {
      got.add(m.body.toString());
      await new Promise((r) => setTimeout(r, 2));
    });
    const p = await hub.queue.init.producer('amqp', opts);
    cleanup.push(() => p.close());
    await node.syncMetadata(); // see syncMetadata: RabbitMQ 3.10's ra may otherwise forget a queue this new
    const { confirmed, sentAfterCrash } = await sendThroughCrash((id) => p.send(id, { id }), {
      prefix: 'f', senders: 16, after: 300, what: 'traffic through the second node',
      ready: (sent) => sent.length > 200 && got.size > 0,
      crash: () => node.kill(), // SIGKILL to the Erlang VM
    });
    // no send failed: the ones in flight at the crash were sent again
    expect(sentAfterCrash).toHaveLength(300);

    // the consumer moved too: everything sent after the crash reached it through the machine broker
    await until(() => sentAfterCrash.every((id) => got.has(id)), 60_000, 'the messages sent after the crash');
    // where the queue was declared again, with its type
    expect(await rabbitmqctl('list_queues', '-p', vhost, '-q', '--no-table-headers', 'name', 'type')).toMatch(/^failover\tquorum$/m);

    // the nodes are independent: what the dead node confirmed and had not delivered is on its disk only. Restart it on
    // its data folder and drain its queue with a consumer pinned to it; together they must hold every confirmed id.
    await node.restart();
    const drained = new Set<string>();
    const pinned = await hub.queue.init.consumer('amqp', { queue: 'failover', queue_type: 'quorum', urls: [node.url()] });
    cleanup.push(() => pinned.close());
    await pinned.listen((m: QueueMessage) => void drained.add(m.body.toString()));
    const lost = (): string[] => confirmed.filter((id) => !got.has(id) && !drained.has(id));
    await until(() => lost().length === 0, 60_000, 'every confirmed id').catch(() => undefined);
    expect(lost()).toEqual([]);
    expect(drained.size).toBeGreaterThan(0); // the backlog: the drain was needed
  }, 240_000);
});
