import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../../src/index.ts';
import type { DriplineService } from '../../../plugins/dripline/_lib/dripline-service.ts';
import { driplineHub, request } from '../../helpers/dripline.ts';

let hub: Hub;
let svc: DriplineService;

const CONFIG = {
  name: 'rules_store',
  endpoints: [
    { name: 'peaches', module: 'kv_store', calibration: '2*{}', initial_value: 0.75 },
    { name: 'plain', module: 'Endpoint' },
    { name: 'status', module: 'KeyValueStore', initial_value: 'CLOSE', calibration: { CLOSE: 'on', OPEN: 'off' } },
  ],
};

beforeAll(async () => {
  ({ hub } = await driplineHub());
  svc = (await hub.dripline.service.build(CONFIG, { userMesh: false })).service;
});
afterAll(() => hub.close());

const send = (...args: Parameters<typeof request>) => svc.process(request(...args));

describe('endpoint rules (what a request gets back)', () => {
  it('get without specifier calls on_get: { value_raw, value_cal }', async () => {
    expect(await send('peaches', 'get')).toMatchObject({ returnCode: 0, payload: { value_raw: 0.75, value_cal: 1.5 } });
    expect(await send('status', 'get')).toMatchObject({ returnCode: 0, payload: { value_raw: 'CLOSE', value_cal: 'on' } });
  });

  it('get with a specifier reads that attribute as { values: [v] }; a missing attribute is 310', async () => {
    expect(await send('peaches', 'get', { specifier: 'calibration' })).toMatchObject({ returnCode: 0, payload: { values: ['2*{}'] } });
    expect((await send('peaches', 'get', { specifier: 'no_such_thing' })).returnCode).toBe(310);
  });

  it('set needs values (303); with values it calls on_set; a later get sees the value', async () => {
    expect((await send('peaches', 'set')).returnCode).toBe(303);
    expect((await send('peaches', 'set', { payload: { values: [] } })).returnCode).toBe(303);
    expect((await send('peaches', 'set', { payload: { values: [2] } })).returnCode).toBe(0);
    expect((await send('peaches', 'get')).payload).toEqual({ value_raw: 2, value_cal: 4 });
  });

  it('set with a specifier writes that attribute (310 when missing, or read-only)', async () => {
    expect((await send('peaches', 'set', { specifier: 'calibration', payload: { values: ['3*{}'] } })).returnCode).toBe(0);
    expect((await send('peaches', 'get')).payload).toEqual({ value_raw: 2, value_cal: 6 });
    expect((await send('peaches', 'set', { specifier: 'nope', payload: { values: [1] } })).returnCode).toBe(310);
    expect((await send('peaches', 'set', { specifier: 'name', payload: { values: ['x'] } })).returnCode).toBe(310);
    // a calibration that is not arithmetic is refused with 304 and the old one stays
    expect((await send('peaches', 'set', { specifier: 'calibration', payload: { values: ['import("fs")'] } })).returnCode).toBe(304);
    expect((await send('peaches', 'get')).payload).toEqual({ value_raw: 2, value_cal: 6 });
  });

  it('a raw value the calibration cannot use is 304', async () => {
    expect((await send('peaches', 'set', { payload: { values: ['CLOSE'] } })).returnCode).toBe(0);
    expect((await send('peaches', 'get')).returnCode).toBe(304);
    expect((await send('status', 'set', { payload: { values: ['AJAR'] } })).returnCode).toBe(0);
    expect((await send('status', 'get')).returnCode).toBe(304);
    await send('peaches', 'set', { payload: { values: [0.75] } });
  });

  it('an endpoint without on_get/on_set answers 306', async () => {
    expect((await send('plain', 'get')).returnCode).toBe(306);
    expect((await send('plain', 'set', { payload: { values: [1] } })).returnCode).toBe(306);
  });

  it('cmd calls the command named by the specifier (306 when unknown or missing); an unknown operation is 306', async () => {
    expect((await send('peaches', 'cmd', { specifier: 'fly' })).returnCode).toBe(306);
    expect((await send('peaches', 'cmd')).returnCode).toBe(306);
    expect((await send('peaches', 'cmd', { specifier: 'scheduled_log' })).returnCode).not.toBe(306);
    expect((await send('peaches', 7)).returnCode).toBe(306);
    expect((await send('peaches', -1)).returnCode).toBe(306);
  });

  it('ping answers everything, the service itself and broadcast included', async () => {
    for (const rk of ['peaches', 'plain', 'rules_store', 'broadcast']) {
      expect(await send(rk, 'cmd', { specifier: 'ping' }), rk).toMatchObject({ returnCode: 0, returnMessage: 'Hello, ' + request('x', 'get').senderInfo.exe });
    }
  });

  it('takes the specifier from the routing key when the header has none (dripline v2, the seed\'s peaches.calibration)', async () => {
    expect(await send('peaches.calibration', 'get')).toMatchObject({ returnCode: 0, payload: { values: ['3*{}'] } });
  });

  it('an endpoint the service does not have is 102', async () => {
    expect((await send('nobody', 'get')).returnCode).toBe(102);
  });

  it('set_condition takes one integer (304 otherwise)', async () => {
    expect((await send('broadcast', 'cmd', { specifier: 'set_condition', payload: { values: [10] } })).returnCode).toBe(0);
    expect((await send('broadcast', 'cmd', { specifier: 'set_condition', payload: { values: ['x'] } })).returnCode).toBe(304);
  });
});

describe('lockout (the standard\'s rules)', () => {
  const KEY = '0123456789abcdef0123456789abcdef';
  const OTHER = 'fedcba9876543210fedcba9876543210';

  it('lock returns the key; then set and cmd need it (307) while get still works; unlock with the key', async () => {
    const locked = await send('rules_store', 'cmd', { specifier: 'lock', lockoutKey: KEY });
    expect(locked).toMatchObject({ returnCode: 0, payload: { key: '01234567-89ab-cdef-0123-456789abcdef' } });
    expect((await send('peaches', 'get', { specifier: 'is-locked' })).payload).toMatchObject({ is_locked: true, tag: { service_name: 'test' } });
    expect((await send('peaches', 'set', { payload: { values: [1] } })).returnCode).toBe(307);
    expect((await send('peaches', 'set', { payload: { values: [1] }, lockoutKey: OTHER })).returnCode).toBe(307);
    expect((await send('peaches', 'cmd', { specifier: 'scheduled_log' })).returnCode).toBe(307);
    expect((await send('peaches', 'get')).returnCode).toBe(0);
    expect((await send('peaches', 'set', { payload: { values: [0.75] }, lockoutKey: '01234567-89ab-cdef-0123-456789abcdef' })).returnCode).toBe(0);
    // locking again is refused; ping passes the lock
    expect((await send('rules_store', 'cmd', { specifier: 'lock', lockoutKey: KEY })).returnCode).toBe(307);
    expect((await send('peaches', 'cmd', { specifier: 'ping' })).returnCode).toBe(0);
    // unlock with a wrong key is 307, with the right key 0, when already unlocked 1
    expect((await send('rules_store', 'cmd', { specifier: 'unlock', lockoutKey: OTHER })).returnCode).toBe(307);
    expect((await send('rules_store', 'cmd', { specifier: 'unlock', lockoutKey: KEY })).returnCode).toBe(0);
    expect((await send('rules_store', 'cmd', { specifier: 'unlock' })).returnCode).toBe(1);
    expect((await send('peaches', 'get', { specifier: 'is-locked' })).payload).toEqual({ is_locked: false });
  });

  it('a malformed lockout key is 308 on every request', async () => {
    expect((await send('peaches', 'get', { lockoutKey: 'not-a-key' })).returnCode).toBe(308);
    expect((await send('peaches', 'set', { lockoutKey: '1234', payload: { values: [1] } })).returnCode).toBe(308);
  });

  it('lock without a key generates one; force unlocks without it', async () => {
    const locked = await send('peaches', 'cmd', { specifier: 'lock' });
    expect(locked.returnCode).toBe(0);
    expect((locked.payload as { key: string }).key).toMatch(/^[0-9a-f-]{36}$/);
    expect((await send('peaches', 'set', { payload: { values: [1] } })).returnCode).toBe(307);
    // an endpoint's lock does not lock its siblings
    expect((await send('status', 'set', { payload: { values: ['OPEN'] } })).returnCode).toBe(0);
    expect((await send('peaches', 'cmd', { specifier: 'unlock', payload: { force: true } })).returnCode).toBe(0);
    expect((await send('peaches', 'set', { payload: { values: [0.75] } })).returnCode).toBe(0);
  });
});
