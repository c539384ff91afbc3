import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EvbusAmqpProfileError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import { evbusHub, internalBodies } from '../../helpers/evbus.ts';

let hub: Hub | undefined;
let dir: string | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes `data` as an encrypted acct file; returns its path and key. */
async function acctFile(h: Hub, data: Record<string, unknown>): Promise<{ file: string; key: string }> {
  if (h.acct === undefined) await h.pop.sub.add({ dyneName: 'acct' });
  dir = mkdtempSync(join(tmpdir(), 'evbus-acct-'));
  const file = join(dir, 'creds.yml.fernet');
  const key = await h.acct.init.generateKey();
  await h.acct.init.writeFile(file, data, key);
  return { file, key };
}

describe('evbus contexts from acct', () => {
  it('start({ acctFile, acctKey }) unlocks the file and uses its profiles', async () => {
    ({ hub } = await evbusHub());
    const { file, key } = await acctFile(hub, { internal: { 'tap.*': { routing_key: 'tap' } } });
    const running = hub.evbus.init.start({ acctFile: file, acctKey: key });
    await hub.evbus.init.join();
    await hub.evbus.broker.put(1, { profile: 'tap.one' });
    await hub.evbus.broker.put(2, { profile: 'default' });
    await hub.evbus.init.stop();
    await running;
    expect(hub.acct.UNLOCKED).toBe(true);
    expect(internalBodies(hub, 'tap')).toEqual([1]);
    expect(internalBodies(hub, '')).toEqual([]); // the file configures internal: no `*` default
  });

  it('an already unlocked hub.acct is used by a plain start()', async () => {
    ({ hub } = await evbusHub());
    const { file, key } = await acctFile(hub, { internal: { default: { routing_key: 'd' } } });
    await hub.acct.init.unlock(file, key);
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    await hub.evbus.broker.put('x');
    await hub.evbus.init.stop();
    await running;
    expect(internalBodies(hub, 'd')).toEqual(['x']);
  });

  it('a bad amqp profile in the acct file fails start() with the amqp plugin\'s coded error', async () => {
    ({ hub } = await evbusHub());
    const { file, key } = await acctFile(hub, { pika: { prod: { host: 'h', password: 'pw-not-shown', ingres_channels: ['q'] } } });
    const err = await hub.evbus.init.start({ acctFile: file, acctKey: key }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusAmqpProfileError);
    expect((err as Error).message).toContain('pika/prod');
    expect((err as Error).message).not.toContain('pw-not-shown');
  });

  it('start({ profiles }) gathers raw profiles and passes unserved providers through', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start({ profiles: { internal: [{ a: { routing_key: 'a' } }] } });
    await hub.evbus.init.join();
    await hub.evbus.broker.put('e', { profile: 'a' });
    await hub.evbus.init.stop();
    await running;
    expect(internalBodies(hub, 'a')).toEqual(['e']);
  });

  it('what a run gathered is closed once when the run ends (not again by acct on hub.close), so restarts do not leak', async () => {
    ({ hub } = await evbusHub(fileURLToPath(new URL('../../fixtures/evbus-gather-host/', import.meta.url))));
    for (let round = 0; round < 2; round++) {
      const running = hub.evbus.init.start({ profiles: { counter: { c: {} } } });
      await hub.evbus.init.join();
      await hub.evbus.broker.put(round, { profile: 'c' });
      await hub.evbus.init.stop();
      await running;
    }
    const ctxs = [...hub.ingress.counter.CTXS] as Array<{ closed: number }>;
    expect(ctxs).toHaveLength(2);
    expect(ctxs.map((c) => c.closed)).toEqual([1, 1]);
    expect(hub.acct.GATHERED).toEqual([]);
    await hub.close();
    hub = undefined;
    expect(ctxs.map((c) => c.closed)).toEqual([1, 1]);
  });

  it('hub.close() drains the bus before its contexts close, though acct was added after evbus (evbus owns the order)', async () => {
    ({ hub } = await evbusHub(fileURLToPath(new URL('../../fixtures/evbus-gather-host/', import.meta.url))));
    void hub.evbus.init.start({ profiles: { counter: { c: {} } } });
    await hub.evbus.init.join();
    for (let i = 0; i < 50; i++) await hub.evbus.broker.put(i, { profile: 'c' });
    const counter = hub.ingress.counter;

    await hub.close();
    hub = undefined;

    expect(counter.PUBLISHED).toBe(50);
    expect(counter.PUBLISHED_AFTER_CLOSE).toBe(0);
    expect([...counter.CTXS].map((c) => (c as { closed: number }).closed)).toEqual([1]);
  });
});
