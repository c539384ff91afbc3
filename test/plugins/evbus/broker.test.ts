import { afterEach, describe, expect, it } from 'vitest';
import { EvbusNotStartedError, EvbusOptionsError, EvbusQueueFullError, EvbusSerialError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import type { IngressEvent } from '../../../plugins/evbus/_lib/types.ts';
import { evbusHub, internalBodies, sleep } from '../../helpers/evbus.ts';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('evbus broker: put, putNowait, propagate', () => {
  it('delivers a frozen event: profile, serialised body, raw body, serial, content type, id, seq, timestamp', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start();
    await hub.evbus.init.join();
    const before = Date.now();
    await hub.evbus.broker.put({ n: 1, tags: new Set(['b', 'a']) });
    await hub.evbus.broker.put('x', { profile: 'audit' });
    await hub.evbus.broker.put('y', 'pop-style');
    await hub.evbus.init.stop();
    await running;
    const [a, b, c] = hub.ingress.internal.get('').drain() as IngressEvent[];
    expect(a).toMatchObject({ profile: 'default', body: '{"n":1,"tags":["a","b"]}', serial: 'json', contentType: 'application/json', seq: 1 });
    expect(a?.raw).toEqual({ n: 1, tags: new Set(['a', 'b']) });
    expect(a?.id).toMatch(/^[0-9a-f]{8}:1$/);
    expect(a?.timestamp).toBeGreaterThanOrEqual(before);
    expect(Object.isFrozen(a)).toBe(true);
    expect(b).toMatchObject({ profile: 'audit', body: '"x"', seq: 2 });
    expect(c).toMatchObject({ profile: 'pop-style', seq: 3 });
  });

  it('msgpack bodies are Buffers', async () => {
    ({ hub } = await evbusHub());
    const running = hub.evbus.init.start({ serialPlugin: 'msgpack' });
    await hub.evbus.init.join();
    await hub.evbus.broker.put({ a: [1, 2] });
    await hub.evbus.init.stop();
    await running;
    const [e] = hub.ingress.internal.get('').drain() as IngressEvent[];
    expect(Buffer.isBuffer(e?.body)).toBe(true);
    expect(e?.contentType).toBe('application/msgpack');
    expect(hub.serial.msgpack.load(e?.body)).toEqual({ a: [1, 2] });
  });

  it('backpressure: with a bounded queue, put waits and putNowait throws until there is room', async () => {
    ({ hub } = await evbusHub());
    hub.evbus.BUS.capacity = 2;
    await hub.evbus.broker.put(1);
    hub.evbus.broker.putNowait(2);
    expect(() => hub!.evbus.broker.putNowait(99)).toThrow(EvbusQueueFullError);
    let third = false;
    const waiting = hub.evbus.broker.put(3).then(() => (third = true));
    const fourth = hub.evbus.broker.put(4);
    await sleep(10);
    expect(third).toBe(false);
    expect(hub.evbus.BUS.size).toBe(2);
    const running = hub.evbus.init.start({ queueSize: 2 });
    await waiting;
    await fourth;
    await hub.evbus.init.stop();
    await running;
    expect(internalBodies(hub)).toEqual([1, 2, 3, 4]); // the refused putNowait left no trace, order kept
  });

  it('a body that cannot be serialised fails the put, not the bus', async () => {
    ({ hub } = await evbusHub());
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(hub.evbus.broker.put(circular)).rejects.toBeInstanceOf(EvbusSerialError);
    expect(() => hub!.evbus.broker.putNowait(circular)).toThrow(EvbusSerialError);
    await expect(hub.evbus.broker.put(1, { profile: '' })).rejects.toBeInstanceOf(EvbusOptionsError);
    hub.evbus.SERIAL_PLUGIN = 'nope';
    await expect(hub.evbus.broker.put(1)).rejects.toBeInstanceOf(EvbusSerialError);
    expect(hub.evbus.BUS.size).toBe(0);
  });

  it('propagate needs a running bus', async () => {
    ({ hub } = await evbusHub());
    await expect(hub.evbus.broker.propagate({ profile: 'default' })).rejects.toBeInstanceOf(EvbusNotStartedError);
  });
});
