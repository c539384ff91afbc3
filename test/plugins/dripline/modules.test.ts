import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Hub, createMemoryLogger } from '../../../src/index.ts';
import { DriplineConfigError, DriplineModuleError } from '../../../plugins/dripline/_errors.ts';
import { driplineHub, request } from '../../helpers/dripline.ts';
import { fixture } from '../../helpers/fixtures.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function built(config: Record<string, unknown>, root?: string) {
  const hub = root ? await Hub.create({ root, logger: createMemoryLogger() }) : (await driplineHub()).hub;
  if (root) await hub.pop.sub.add({ dyneName: 'dripline' });
  close = () => hub.close();
  return (await hub.dripline.service.build(config, { userMesh: false })).service;
}

describe('endpoint modules', () => {
  it('module names match plugin files or their MODULE_NAMES, ignoring case and underscores', async () => {
    const svc = await built({
      name: 'names', module: 'Spimescape',
      endpoints: [{ name: 'a', module: 'KeyValueStore', initial_value: 1 }, { name: 'b', module: 'KV_STORE', initial_value: 2 }, { name: 'c', module: 'kv_store_key', initial_value: 3 }],
    });
    expect(svc.endpointNames).toEqual(['names', 'a', 'b', 'c']);
    expect((await svc.process(request('c', 'get'))).payload).toEqual({ value_raw: '3.0' });
  });

  it('an unknown module is a coded error naming the file, the endpoint and the closest module', async () => {
    await expect(built({ name: 's', endpoints: [{ name: 'a', module: 'kv_stor' }] })).rejects.toThrow(DriplineModuleError);
    await expect(built({ name: 's', endpoints: [{ name: 'a', module: 'kv_stor' }] })).rejects.toThrow(/did you mean kv_store/);
  });

  it('an unknown option of a built-in module is a config error with the likely key', async () => {
    await expect(built({ name: 's', endpoints: [{ name: 'a', module: 'kv_store', calibraton: '2*{}' }] })).rejects.toThrow(DriplineConfigError);
    await expect(built({ name: 's', endpoints: [{ name: 'a', module: 'kv_store', calibraton: '2*{}' }] })).rejects.toThrow(/did you mean calibration/);
    await expect(built({ name: 's', endpoints: [{ name: 'a', module: 'kv_store', log_interval: 'often' }] })).rejects.toThrow(/log_interval/);
  });

  it('module_path loads a user\'s file as a plugin: its create gets the hub, its commands take args and kwargs', async () => {
    const svc = await built({ name: 'user', endpoints: [{ name: 'count', module: 'counter', module_path: fixture('dripline', 'counter-endpoint.ts'), start: 5 }] });
    expect((await svc.process(request('count', 'get'))).payload).toBe(5);
    expect((await svc.process(request('count', 'get', { specifier: 'hub_has_dripline' }))).payload).toEqual({ values: [true] });
    expect((await svc.process(request('count', 'cmd', { specifier: 'add', payload: { values: [1, 2], times: 2 } }))).payload).toEqual({ count: 11 });
  });

  it('a throwing endpoint answers 999 with its message; a result JSON cannot carry is 303; the service keeps serving', async () => {
    const svc = await built({ name: 'user2', endpoints: [{ name: 'count', module: 'counter', module_path: fixture('dripline', 'counter-endpoint.ts') }] });
    expect(await svc.process(request('count', 'cmd', { specifier: 'explode' }))).toMatchObject({ returnCode: 999, returnMessage: 'the endpoint blew up' });
    expect((await svc.process(request('count', 'cmd', { specifier: 'bigint' }))).returnCode).toBe(303);
    expect((await svc.process(request('count', 'get'))).returnCode).toBe(0);
  });

  it('a module_path file without create is a coded error', async () => {
    await expect(built({ name: 'u', endpoints: [{ name: 'x', module: 'x', module_path: fixture('dripline-host', 'conf.ts') }] })).rejects.toThrow(/does not export create/);
  });

  it('a host adds a module by dropping a file into its own dripline dyne\'s endpoints/', async () => {
    const svc = await built({ name: 'lab', endpoints: [{ name: 't1', module: 'Thermometer', kelvin: 300 }] }, fileURLToPath(new URL('../../fixtures/dripline-host/', import.meta.url)));
    expect((await svc.process(request('t1', 'get'))).payload).toEqual({ value_raw: 300, value_cal: 26.85 });
  });
});
