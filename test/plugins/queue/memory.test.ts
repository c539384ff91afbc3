import { afterEach, describe, expect, it } from 'vitest';
import { QueueTransportInvalidError, QueueTransportNotFoundError, type Hub } from '../../../src/index.ts';
import type { QueueMessage } from '../../../plugins/queue/_lib/types.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { queueHub, until } from '../../helpers/queue.ts';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('hub.queue transports', () => {
  it('lists the built-in transports and names them in the error for an unknown one', async () => {
    ({ hub } = await queueHub());
    expect(hub.queue.init.transports()).toEqual(expect.arrayContaining(['disk', 'http', 'memory']));
    expect(() => hub?.queue.init.transport('pigeon')).toThrow(QueueTransportNotFoundError);
  });

  it('a dropped-in file without consumer() fails the dyne at load with a coded error', async () => {
    const { Hub: H, createMemoryLogger } = await import('../../../src/index.ts');
    hub = await H.create({ root: fixture('queue-bad'), logger: createMemoryLogger() });
    const err = await hub.pop.sub.add({ dyneName: 'queue', stopOnFailures: true }).catch((e: unknown) => e);
    const chain: unknown[] = [];
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) chain.push(e);
    expect(chain.some((e) => e instanceof QueueTransportInvalidError)).toBe(true);
  });
});

describe('hub.queue.memory', () => {
  it('delivers in order to one consumer and round-robins between two', async () => {
    ({ hub } = await queueHub());
    const p = await hub.queue.init.producer('memory', { queue: 'jobs' });
    const a = await hub.queue.init.consumer('memory', { queue: 'jobs' });
    const got: string[] = [];
    await a.listen((m: QueueMessage) => void got.push(m.body.toString()));
    for (let i = 0; i < 5; i++) await p.send(`m${i}`);
    await until(() => got.length === 5);
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);

    const b = await hub.queue.init.consumer('memory', { queue: 'jobs' });
    const gotB: string[] = [];
    await b.listen((m: QueueMessage) => void gotB.push(m.body.toString()));
    for (let i = 0; i < 4; i++) await p.send(`n${i}`);
    await until(() => got.length + gotB.length === 9);
    expect(gotB.length).toBeGreaterThan(0);
  });

  it('a failing handler gets the message again, and after maxDeliveries it goes to the dead-letter queue', async () => {
    ({ hub } = await queueHub());
    const p = await hub.queue.init.producer('memory', { queue: 'work' });
    const c = await hub.queue.init.consumer('memory', { queue: 'work', maxDeliveries: 3, deadLetter: 'work.dead' });
    const dead = await hub.queue.init.consumer('memory', { queue: 'work.dead' });
    const counts: number[] = [];
    const deadBodies: string[] = [];
    await c.listen((m: QueueMessage) => {
      counts.push(m.deliveryCount);
      throw new Error('boom');
    });
    await dead.listen((m: QueueMessage) => void deadBodies.push(m.body.toString()));
    await p.send('poison');
    await until(() => deadBodies.length === 1);
    expect(counts).toEqual([1, 2, 3]);
    expect(deadBodies).toEqual(['poison']);
  });

  it('stop() waits for the running handler and takes nothing new', async () => {
    ({ hub } = await queueHub());
    const p = await hub.queue.init.producer('memory', { queue: 'slow' });
    const c = await hub.queue.init.consumer('memory', { queue: 'slow' });
    let finished = 0;
    await c.listen(async () => {
      await new Promise((r) => setTimeout(r, 100));
      finished++;
    });
    await p.send('1');
    await p.send('2');
    await until(() => c.inFlight === 1);
    await c.stop();
    expect(finished).toBe(1);
    expect(hub.queue.memory.broker().depth('slow')).toBe(1);
  });
});
