import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../../src/index.ts';
import type { IngressEvent } from '../../../plugins/evbus/_lib/types.ts';
import { evbusHub, type MemoryLogger } from '../../helpers/evbus.ts';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const event = (raw: unknown): IngressEvent => Object.freeze({
  profile: 'default', body: JSON.stringify(raw), raw, serial: 'json', contentType: 'application/json', id: 'x:1', seq: 1, timestamp: 0,
});

describe('internal ingress', () => {
  it('queues each event on its profile\'s routing_key (\'\' when unset)', async () => {
    ({ hub } = await evbusHub());
    const internal = hub.ingress.internal;
    internal.publish({ acct: { routing_key: 'audit' }, provider: 'internal', profile: 'a' }, event(1));
    internal.publish({ acct: {}, provider: 'internal', profile: '*' }, event(2));
    await expect(internal.get('audit').get()).resolves.toMatchObject({ raw: 1 });
    expect(internal.get('').tryGet()).toMatchObject({ raw: 2 });
    expect(internal.get('').size).toBe(0);
  });

  it('drain() takes everything from every queue; wait() resolves on the next publish or on abort', async () => {
    ({ hub } = await evbusHub());
    const internal = hub.ingress.internal;
    const waiting = internal.wait();
    internal.publish({ acct: { routing_key: 'k' }, provider: 'internal', profile: 'p' }, event('a'));
    await waiting;
    internal.publish({ acct: {}, provider: 'internal', profile: 'p' }, event('b'));
    expect(internal.drain().map(([key, e]: [string, IngressEvent]) => [key, e.raw]).sort()).toEqual([['', 'b'], ['k', 'a']]);
    const ac = new AbortController();
    const aborted = internal.wait(ac.signal);
    ac.abort();
    await aborted;
  });

  it('keeps the newest MAX_QUEUE events per queue, dropping the oldest (logged once)', async () => {
    let log: MemoryLogger;
    ({ hub, log } = await evbusHub());
    const internal = hub.ingress.internal;
    internal.MAX_QUEUE = 3;
    for (let i = 0; i < 5; i++) internal.publish({ acct: {}, provider: 'internal', profile: '*' }, event(i));
    expect(internal.get('').drain().map((e: IngressEvent) => e.raw)).toEqual([2, 3, 4]);
    expect(log.records.filter((r) => r.level === 'warn' && r.msg.includes('dropping'))).toHaveLength(1);
    expect(internal.DROPPED.get('')).toBe(2);
  });
});
