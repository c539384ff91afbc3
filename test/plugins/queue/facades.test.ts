import { afterEach, describe, expect, it } from 'vitest';
import {
  CONSUMER_LOOPS, ConsumerFactory, ConsumerRunner, HandlerFactory, PRODUCERS, QueueFactory, QueueTransportNotFoundError, consumer, setQueueHub,
  type Hub, type QueueMessage, type ReloadSource,
} from '../../../src/index.ts';
import { queueHub, until } from '../../helpers/queue.ts';

let hub: Hub | undefined;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await hub?.close();
  hub = undefined;
});

async function sharedHub(): Promise<Hub> {
  ({ hub } = await queueHub());
  setQueueHub(hub);
  return hub;
}

describe('streamtools style', () => {
  it('PRODUCERS[type] / CONSUMER_LOOPS[type] from a variable; objects travel as JSON', async () => {
    await sharedHub();
    const type = 'memory';
    const c = new CONSUMER_LOOPS[type]!('orders');
    await c.init();
    cleanup.push(() => c.close());
    const got: unknown[] = [];
    await c.handler(async (msg) => void got.push(msg));
    const p = new PRODUCERS[type]!('orders');
    await p.init();
    await p.send({ id: 1, items: ['a'] });
    await p.send('plain text');
    await until(() => got.length === 2);
    expect(got).toEqual([{ id: 1, items: ['a'] }, 'plain text']);
    expect(Object.keys(PRODUCERS)).toEqual(expect.arrayContaining(['amqp', 'http', 'nats', 'disk', 'memory', 'RMQIOHandler', 'KafkaHandler']));
    expect('memory' in CONSUMER_LOOPS).toBe(true);
  });

  it('an unknown transport fails at init() with a coded error', async () => {
    await sharedHub();
    await expect(new PRODUCERS.pigeon!('q').init()).rejects.toBeInstanceOf(QueueTransportNotFoundError);
  });

  it('the consumer() decorator on a class method', async () => {
    await sharedHub();
    const loop = new CONSUMER_LOOPS.AsyncIOHandler!('decorated');
    const seen: unknown[] = [];
    class Service {
      @consumer(loop)
      async onMessage(msg: unknown) {
        seen.push(msg);
      }
    }
    void Service;
    await loop.init();
    cleanup.push(() => loop.close());
    const p = new PRODUCERS.AsyncIOHandler!('decorated');
    await p.init();
    await p.send({ ok: true });
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ ok: true }]);
  });

  it('HandlerFactory pairs per queue, transports mixed within one queue (HTTP in, memory out)', async () => {
    await sharedHub();
    const factory = new HandlerFactory({
      queue_1: { name: 'queue_1', consumer_loop: 'memory', producer: 'memory' },
      queue_2: { name: 'queue_2', consumer_loop: 'HTTPHandler', producer: 'POSTHandler', options: { port: 0 } },

    });
    const { consumer_loop: c1, producer: p1 } = factory.handlers.queue_1!;
    const got: unknown[] = [];
    await c1.handler((m) => void got.push(m));
    await factory.init();
    cleanup.push(() => factory.close());
    await p1.send({ n: 1 });
    await until(() => got.length === 1);
    const [c2, p2] = factory.handlers.queue_2!.handles;
    const viaHttp: unknown[] = [];
    await c2.handler((m) => void viaHttp.push(m));
    await p2.send({ over: 'http' });
    expect(viaHttp).toEqual([{ over: 'http' }]);
  });

  it('ConsumerFactory + ConsumerRunner over HTTP: stop() lets the handler in hand finish', async () => {
    await sharedHub();
    const consumers = new ConsumerFactory('HTTPHandler', { port: 0 });
    let finished = 0;
    consumers.route('queue_1', async () => {
      await new Promise((r) => setTimeout(r, 200));
      finished++;
    });
    const runner = new ConsumerRunner({ consumers: consumers.instances, handlers: consumers.handlers, port: 0, host: '127.0.0.1', signals: [] });
    const running = runner.run();
    await runner.started();
    const port = consumers.instances[0]!.port as number;
    const p = new PRODUCERS.http!('queue_1', { port });
    await p.init();
    const sent = p.send({ x: 1 });
    await until(() => consumers.instances[0]!.inFlight === 1);
    await runner.stop();
    await running;
    await sent;
    expect(finished).toBe(1);
  });
});

describe('clc style: QueueFactory', () => {
  const config = {
    queue_config: [
      { name: 'in', type: 'consumer', transport: 'memory', queue: 'work' },
      { name: 'out', type: 'producer', transport: 'memory', queue: 'work' },
      { name: 'audit', type: 'producer', transport: 'memory', queue: 'audit' },
    ],
  };

  it('createConsumers / createProducers from the queue_config object; listen gets the decoded JSON', async () => {
    const h = await sharedHub();
    const f = new QueueFactory({ hub: h });
    cleanup.push(() => f.close());
    const consumers = await f.createConsumers(config);
    const producers = await f.createProducers(config.queue_config);
    expect(Object.keys(consumers)).toEqual(['in']);
    expect(Object.keys(producers).sort()).toEqual(['audit', 'out']);
    const got: unknown[] = [];
    await consumers.in!.listen(async (body, message: QueueMessage) => void got.push([body, message.contentType]));
    await producers.out!.publish({ hello: 'world' });
    await until(() => got.length === 1);
    expect(got).toEqual([[{ hello: 'world' }, 'application/json']]);
  });

  it('a KV reload that changes one entry rebuilds just that producer (the others keep their connection)', async () => {
    const h = await sharedHub();
    const f = new QueueFactory({ hub: h });
    cleanup.push(() => f.close());
    const consumers = await f.createConsumers(config);
    const producers = await f.createProducers(config);
    const fromWork: unknown[] = [];
    const fromWork2: unknown[] = [];
    await consumers.in!.listen((b) => void fromWork.push(b));
    const side = await h.queue.init.consumer('memory', { queue: 'work2' });
    cleanup.push(() => side.close());
    await side.listen((m: QueueMessage) => void fromWork2.push(JSON.parse(m.body.toString())));
    const auditBefore = await producers.audit!.connect();

    let fire: (o: Record<string, unknown> | undefined, n: Record<string, unknown>) => unknown = () => undefined;
    const kv: ReloadSource = { onReload: (cb) => void (fire = cb) };
    f.watch(kv);
    const changed = { queue_config: config.queue_config.map((e) => (e.name === 'out' ? { ...e, queue: 'work2' } : e)) };
    await fire({ queue_config: JSON.stringify(config.queue_config) }, { queue_config: JSON.stringify(changed.queue_config) });
    expect(await f.reload(changed)).toEqual({ rebuilt: [], added: [], removed: [] });
    expect(await producers.audit!.connect()).toBe(auditBefore);
    await producers.out!.publish({ n: 2 });
    await until(() => fromWork2.length === 1);
    expect(fromWork).toEqual([]);
  });
});
