import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Hub } from '../../../src/index.ts';
import type { QueueMessage, TransportConsumer } from '../../../plugins/queue/_lib/types.ts';
import { itWith } from '../../helpers/services.ts';
import { queueHub, sendThroughCrash, until } from '../../helpers/queue.ts';
import { secondNatsServer } from '../../helpers/nats-server.ts';

const it = itWith('nats');
let hub: Hub | undefined;
const streams: string[] = [];
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  const nc = await connect({ servers: '127.0.0.1:4222' }).catch(() => undefined);
  if (!nc) return;
  const jsm = await jetstreamManager(nc);
  for (const s of streams.splice(0)) await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
});

function queue(): string {
  const q = `tspop.test.${randomUUID().slice(0, 8)}`;
  streams.push(q.replace(/[^A-Za-z0-9_-]/g, '_'));
  return q;
}

describe('hub.queue.nats (JetStream on 127.0.0.1:4222)', () => {
  it('stop() waits for the handler running, not for what was prefetched: that goes back to the server', async () => {
    ({ hub } = await queueHub());
    const q = queue();
    const p = await hub.queue.init.producer('nats', { queue: q });
    for (let i = 0; i < 10; i++) await p.send(`m${i}`, { id: `s-${i}` });
    // what was fetched but never handed out comes back after ackWaitMs
    const c1 = await hub.queue.init.consumer('nats', { queue: q, prefetch: 64, ackWaitMs: 2000 });
    const first: string[] = [];
    let started = 0;
    await c1.listen(async (m: QueueMessage) => {
      started++;
      await new Promise((r) => setTimeout(r, 300));
      first.push(m.body.toString());
    });
    await until(() => started === 1);
    await c1.stop();
    expect(first.length).toBeLessThanOrEqual(2);
    await c1.close();
    const c2 = await hub.queue.init.consumer('nats', { queue: q, ackWaitMs: 2000 });
    const rest = new Set<string>();
    await c2.listen((m: QueueMessage) => void rest.add(m.body.toString()));
    await until(() => first.length + rest.size >= 10, 30_000, 'the rest after the stop');
    expect(new Set([...first, ...rest]).size).toBe(10);
    await c2.close();
  }, 60_000);

  it('a stream and a durable consumer: a restarted consumer gets only what it had not acked', async () => {
    ({ hub } = await queueHub());
    const q = queue();
    const p = await hub.queue.init.producer('nats', { queue: q });
    for (let i = 0; i < 5; i++) await p.send(`m${i}`, { id: `id-${i}`, contentType: 'text/plain' });
    await p.send('m4', { id: 'id-4' }); // a duplicate id: the stream keeps one
    const c1 = await hub.queue.init.consumer('nats', { queue: q, ackWaitMs: 2000 });
    const got: QueueMessage[] = [];
    await c1.listen((m: QueueMessage) => {
      got.push(m);
      if (got.length === 3) void c1.close();
    });
    await until(() => got.length >= 3);
    await c1.close();
    await p.send('m5');
    const c2 = await hub.queue.init.consumer('nats', { queue: q, ackWaitMs: 2000 });
    const later: string[] = [];
    await c2.listen((m: QueueMessage) => void later.push(m.body.toString()));
    const all = () => [...new Set([...got.map((m) => m.body.toString()), ...later])].sort();
    // what c1 had fetched but not handled when it closed comes back too, maybe after m5 (at-least-once, not in order)
    await until(() => all().length === 6, 60_000, 'every message once');
    await c2.close();
    await p.close();
    expect(all()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(got[0]).toMatchObject({ contentType: 'text/plain', id: 'id-0', deliveryCount: 1, redelivered: false });
  }, 90_000);

  it('a failing handler gets the message redelivered, and after maxDeliveries it goes to the dead-letter subject', async () => {
    ({ hub } = await queueHub());
    const q = queue();
    const dlq = queue();
    const p = await hub.queue.init.producer('nats', { queue: q });
    // the dead-letter stream must exist before it is published to
    await (await hub.queue.init.producer('nats', { queue: dlq })).close();
    const c = await hub.queue.init.consumer('nats', { queue: q, maxDeliveries: 3, deadLetter: dlq });
    const dead = await hub.queue.init.consumer('nats', { queue: dlq });
    const counts: number[] = [];
    const deadBodies: string[] = [];
    await c.listen((m: QueueMessage) => {
      counts.push(m.deliveryCount);
      if (m.body.toString() === 'poison') throw new Error('boom');
    });
    await dead.listen((m: QueueMessage) => void deadBodies.push(m.body.toString()));
    await p.send('poison');
    await until(() => deadBodies.length === 1);
    expect(counts.slice(0, 3)).toEqual([1, 2, 3]);
    await Promise.all([c.close(), dead.close(), p.close()]);
  });

  it('takes a list of servers and uses one that answers', async () => {
    ({ hub } = await queueHub());
    const q = queue();
    const servers = ['127.0.0.1:1', '127.0.0.1:4222'];
    const p = await hub.queue.init.producer('nats', { queue: q, servers });
    const c: TransportConsumer = await hub.queue.init.consumer('nats', { queue: q, servers });
    const got: string[] = [];
    await c.listen((m: QueueMessage) => void got.push(m.body.toString()));
    await p.send('hello');
    await until(() => got.length === 1);
    await Promise.all([c.close(), p.close()]);
  });
});

describe('hub.queue.nats over a list of servers: a second nats-server (started by the test, its own JetStream) and the machine one', () => {
  const second = secondNatsServer();
  const it = second.it;

  it('the server in use is killed mid-stream: producer and consumer carry on on the other, and what the dead one acked is recovered from its store', async () => {
    const server = second.server;
    ({ hub } = await queueHub());
    const q = queue();
    const servers = [server.address, '127.0.0.1:4222'];
    const c = await hub.queue.init.consumer('nats', { queue: q, servers });
    const got = new Set<string>();
    // a slow consumer, so the killed server holds a backlog of acked messages nobody has received yet
    await c.listen(async (m: QueueMessage) => {
      got.add(m.body.toString());
      await new Promise((r) => setTimeout(r, 2));
    });
    const p = await hub.queue.init.producer('nats', { queue: q, servers });
    const { confirmed: acked, sentAfterCrash } = await sendThroughCrash((id) => p.send(id, { id }), {
      prefix: 'n', senders: 8, after: 300, what: 'traffic through the second server',
      ready: (sent) => sent.length > 300 && got.size > 0,
      crash: () => server.kill(),
    });
    // none failed: the ones in flight at the crash were published again
    expect(sentAfterCrash).toHaveLength(300);
    // the consumer moved too: everything sent after the crash reached it through the machine's server
    await until(() => sentAfterCrash.every((id) => got.has(id)), 60_000, 'the messages sent after the crash');

    // the servers are independent: what the dead one acked and had not delivered is in its store only
    await server.restart();
    const pinned = await hub.queue.init.consumer('nats', { queue: q, servers: [server.address] });
    const drained = new Set<string>();
    await pinned.listen((m: QueueMessage) => void drained.add(m.body.toString()));
    const lost = (): string[] => acked.filter((id) => !got.has(id) && !drained.has(id));
    await until(() => lost().length === 0, 60_000, 'every acked id').catch(() => undefined);
    expect(lost()).toEqual([]);
    expect(drained.size).toBeGreaterThan(0); // the backlog: the drain was needed
    await Promise.all([c.close(), p.close(), pinned.close()]);
  }, 240_000);
});
