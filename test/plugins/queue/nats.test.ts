import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Hub } from '../../../src/index.ts';
import type { QueueMessage, TransportConsumer } from '../../../plugins/queue/_lib/types.ts';
import { itWith } from '../../helpers/services.ts';
import { queueHub, until } from '../../helpers/queue.ts';

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
  it('a stream and a durable consumer: a restarted consumer gets only what it had not acked', async () => {
    ({ hub } = await queueHub());
    const q = queue();
    const p = await hub.queue.init.producer('nats', { queue: q });
    for (let i = 0; i < 5; i++) await p.send(`m${i}`, { id: `id-${i}`, contentType: 'text/plain' });
    await p.send('m4', { id: 'id-4' }); // a duplicate id: the stream keeps one
    const c1 = await hub.queue.init.consumer('nats', { queue: q });
    const got: QueueMessage[] = [];
    await c1.listen((m: QueueMessage) => {
      got.push(m);
      if (got.length === 3) void c1.close();
    });
    await until(() => got.length >= 3);
    await c1.close();
    await p.send('m5');
    const c2 = await hub.queue.init.consumer('nats', { queue: q });
    const later: string[] = [];
    await c2.listen((m: QueueMessage) => void later.push(m.body.toString()));
    await until(() => later.includes('m5'));
    await c2.close();
    await p.close();
    const all = [...got.map((m) => m.body.toString()), ...later];
    expect([...new Set(all)]).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(got[0]).toMatchObject({ contentType: 'text/plain', id: 'id-0', deliveryCount: 1, redelivered: false });
  });

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
