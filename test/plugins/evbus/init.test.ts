import { afterEach, describe, expect, it } from 'vitest';
import { EvbusAlreadyStartedError, EvbusOptionsError, EvbusSerialError, EvbusMatchError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import { fileURLToPath } from 'node:url';
import { evbusHub, internalBodies, sleep } from '../../helpers/evbus.ts';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('evbus init: start, stop, join', () => {
  it('adds the subs it uses: serial, ingress and evbus.match', async () => {
    ({ hub } = await evbusHub());
    expect(typeof hub.serial.json.dump).toBe('function');
    expect(hub.ingress.internal.ACCT).toEqual(['internal']);
    expect(hub.evbus.match.glob.find('default', 'def*')).toBe(true);
    expect(hub.evbus.STARTED).toBe(false);
  });

  it('keeps events put before start and delivers them, in put order, once started', async () => {
    ({ hub } = await evbusHub());
    for (let i = 0; i < 5; i++) await hub.evbus.broker.put({ i });
    hub.evbus.broker.putNowait({ i: 5 });
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    expect(hub.evbus.STARTED).toBe(true);
    await hub.evbus.init.stop();
    await running;
    expect(internalBodies(hub)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ i })));
    expect(hub.evbus.STARTED).toBe(false);
  });

  it('stop() drains everything queued before start() resolves', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    const puts = [];
    for (let i = 0; i < 2000; i++) puts.push(hub.evbus.broker.put(i));
    await Promise.all(puts);
    let startReturned = false;
    void running.then(() => (startReturned = true));
    await hub.evbus.init.stop();
    expect(startReturned).toBe(true);
    expect(internalBodies(hub)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('events put after stop() wait for the next start()', async () => {
    ({ hub } = await evbusHub());
    const first = hub.evbus.init.start();
    await hub.evbus.init.join();
    await hub.evbus.broker.put('a');
    await hub.evbus.init.stop();
    await first;
    await hub.evbus.broker.put('b');
    await sleep(10);
    expect(internalBodies(hub)).toEqual(['a']);
    const second = hub.evbus.init.start();
    await hub.evbus.init.stop();
    await second;
    expect(internalBodies(hub)).toEqual(['b']);
  });

  it('stop() when not running is a no-op and leaves no marker behind', async () => {
    ({ hub } = await evbusHub());
    await hub.evbus.init.stop();
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    await hub.evbus.broker.put(1);
    await sleep(5);
    expect(hub.evbus.STARTED).toBe(true);
    await hub.evbus.init.stop();
    await running;
    expect(internalBodies(hub)).toEqual([1]);
  });

  it('refuses a second start while running', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    await expect(hub.evbus.init.start()).rejects.toBeInstanceOf(EvbusAlreadyStartedError);
    await hub.evbus.init.stop();
    await running;
  });

  it('join() rejects with the error of a failed start, and start can be retried', async () => {
    ({ hub } = await evbusHub());
    const joined = hub.evbus.init.join();
    await expect(hub.evbus.init.start({ queueSize: 0 })).rejects.toBeInstanceOf(EvbusOptionsError);
    await expect(joined).rejects.toBeInstanceOf(EvbusOptionsError);
    await expect(hub.evbus.init.start({ bogus: 1 })).rejects.toBeInstanceOf(EvbusOptionsError);
    await expect(hub.evbus.init.start({ serialPlugin: 'nope' })).rejects.toBeInstanceOf(EvbusSerialError);
    await expect(hub.evbus.init.start({ matchPlugin: 'nope' })).rejects.toBeInstanceOf(EvbusMatchError);
    await expect(hub.evbus.init.start({ errorCallbackRef: 'no.such.fn' })).rejects.toBeInstanceOf(EvbusOptionsError);
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    await hub.evbus.init.stop();
    await running;
  });

  it('join() called after start() already failed rejects with that failure (it never hangs)', async () => {
    ({ hub } = await evbusHub());
    for (const opts of [{ queueSize: 0 }, { serialPlugin: 'nope' }, { matchPlugin: 'nope' }, { bogus: 1 }]) {
      const started = hub.evbus.init.start(opts);
      started.catch(() => undefined);
      const failure = await started.then(() => undefined, (err: unknown) => err);
      await expect(hub.evbus.init.join()).rejects.toBe(failure);
    }
    // a start that succeeds clears it
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    await hub.evbus.init.stop();
    await running;
    const later = hub.evbus.init.join();
    const again = hub.evbus.init.start();
    await later;
    await hub.evbus.init.stop();
    await again;
  });

  it('stop({ timeoutMs }) gives up on publishes that never settle and says what was not delivered', async () => {
    ({ hub } = await evbusHub());
    hub.evbus.CLOSE_TIMEOUT_MS = 200;
    await hub.pop.sub.extend(hub.ingress, { staticDir: fileURLToPath(new URL('../../fixtures/evbus-ingress', import.meta.url)) });
    const running = hub.evbus.init.start({ contexts: { hanging: { default: {} } } });
    running.catch(() => undefined);
    await hub.evbus.init.join();
    for (let i = 0; i < 3; i++) await hub.evbus.broker.put({ i });
    const t0 = Date.now();
    const result = await hub.evbus.init.stop({ timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(result).toEqual({ drained: false, undelivered: [{ plugin: 'hanging', provider: 'hanging', profile: 'default', events: 3 }], queued: 0 });
  });

  it('hub.close() drains a running bus', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    for (let i = 0; i < 100; i++) hub.evbus.broker.putNowait(i);
    const internal = hub.ingress.internal;
    await hub.close();
    await running;
    expect(internal.get('').drain().map((e: { raw: number }) => e.raw)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    hub = undefined;
  });

  it('reads its defaults from hub.OPT.evbus (conf, env, flags)', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.config.load(['evbus'], { env: {} });
    expect(hub.OPT.evbus).toMatchObject({ serial_plugin: 'json', match_plugin: 'glob', ingress_profiles: [], queue_size: 10000 });
    const running = hub.evbus.init.start({ serialPlugin: 'yaml', queueSize: 3 });
    await hub.evbus.init.join();
    expect(hub.evbus.BUS.capacity).toBe(3);
    await hub.evbus.broker.put({ a: 1 });
    await hub.evbus.init.stop();
    await running;
    const [event] = hub.ingress.internal.get('').drain();
    expect(event.body).toBe('a: 1\n');
    expect(event.contentType).toBe('application/yaml');
  });
});
