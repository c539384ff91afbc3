/**
 * KVStore as users meet it, on the embedded memory backend: options and their environment defaults, values and
 * paths, the onReload contract, logging levels, a host's own backend, and the coded errors.
 */
import { describe, expect, it } from 'vitest';
import { Hub, KVStore, KvBackendError, KvClosedError, KvOptionsError, createMemoryLogger } from '../../../src/index.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { TSPOP_ROOT, watchedStore } from '../../helpers/kv.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const memory = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => watchedStore({ backend: 'memory', data, ...extra });

describe('KVStore options', () => {
  it('reads each unset option from the environment with clc_msa_utils names and defaults', () => {
    const defaults = new KVStore({ backend: 'memory', env: {}, root: TSPOP_ROOT }).options;
    expect(defaults).toMatchObject({
      consulHost: undefined, consulPort: 8500, etcdEndpoints: ['localhost:2379'], prefixes: [''], reloadSeconds: 20, reloadEnabled: false,
    });

    const env = { CONSUL_HOST: 'consul.local', CONSUL_PORT: '8501', ETCD_HOST: 'etcd.local', ETCD_PORT: '2380', KV_PREFIX: 'svc/', RELOAD_CONFIG_PERIOD: '5', RELOAD_ENABLED: 'true', CONSUL_HTTP_TOKEN: 't' };
    expect(new KVStore({ backend: 'memory', env, root: TSPOP_ROOT }).options).toMatchObject({
      consulHost: 'consul.local', consulPort: 8501, consulToken: 't', etcdEndpoints: ['etcd.local:2380'], prefixes: ['svc/'], reloadSeconds: 5, reloadEnabled: true,
    });
    expect(new KVStore({ backend: 'memory', env: { ETCD_ENDPOINTS: 'a:1, b:2,c:3', KV_PREFIX: 'base/,svc/' }, root: TSPOP_ROOT }).options)
      .toMatchObject({ etcdEndpoints: ['a:1', 'b:2', 'c:3'], prefixes: ['base/', 'svc/'] });
    // an option given beats its variable
    expect(new KVStore({ backend: 'memory', etcdPort: 4001, env: { ETCD_PORT: '2380' }, root: TSPOP_ROOT }).options.etcdEndpoints).toEqual(['localhost:4001']);
  });

  it('bad options fail at the constructor with TSPOP_ERR_KV_OPTIONS', () => {
    expect(() => new KVStore({ reloadSeconds: 0 })).toThrow(KvOptionsError);
    expect(() => new KVStore({ env: { CONSUL_PORT: 'eighty' } })).toThrow(KvOptionsError);
    expect(() => new KVStore({ env: { RELOAD_ENABLED: 'maybe' } })).toThrow(KvOptionsError);
    expect(() => new KVStore({ kvPrefx: 'typo' } as never)).toThrow(KvOptionsError);
  });
});

describe('KVStore values', () => {
  it('keys below the prefix are nested objects; get takes / or . paths; JSON objects are parsed', async () => {
    const s = await memory({
      'svc/rabbit/host': 'rabbit-1',
      'svc/rabbit/port': '5672',
      'svc/queue_config': '{"queue_config": [{"name": "jobs"}]}',
      'svc/log.level': 'debug',
      'other/x': 'not mine',
    }, { kvPrefix: 'svc' });

    expect(await s.kv.get('rabbit')).toEqual({ host: 'rabbit-1', port: '5672' });
    expect(await s.kv.get('rabbit.host')).toBe('rabbit-1');
    expect(await s.kv.get('rabbit/host')).toBe('rabbit-1');
    expect(await s.kv.get('log.level')).toBe('debug');
    expect(await s.kv.get('queue_config')).toEqual({ queue_config: [{ name: 'jobs' }] });
    expect(await s.kv.get('missing', 'fallback')).toBe('fallback');
    expect(await s.kv.getDict()).not.toHaveProperty('other');
    await s.kv.close();
  });

  it('a key that is both a value and a folder: the folder wins, the value is merged (object) or kept under ""', async () => {
    const s = await memory({ 'rabbit': '{"port": 5672, "host": "from-value"}', 'rabbit/host': 'from-folder', 'mode': 'fast', 'mode/x': '1' });

    expect(await s.kv.get('rabbit')).toEqual({ port: 5672, host: 'from-folder' });
    expect(await s.kv.get('mode')).toEqual({ '': 'fast', x: '1' });
    await s.kv.close();
  });

  it('kv.put sets a key (strings as they are, anything else as JSON); a backend that cannot write is TSPOP_ERR_KV_OPTIONS', async () => {
    const s = await memory({ a: '1' });

    await s.kv.put('rabbit/host', 'h2');
    await s.kv.put('limits.max', { n: 3 });
    await s.reloadWhere((c) => (c.limits as { max?: unknown } | undefined)?.max !== undefined, 'both writes');

    expect(await s.kv.get('rabbit.host')).toBe('h2');
    expect(await s.kv.get('limits.max')).toEqual({ n: 3 });
    await expect(s.kv.put('', 'x')).rejects.toBeInstanceOf(KvOptionsError);
    await s.kv.close();
  });

  it('prefixes overlay in order, later wins', async () => {
    const s = await memory({ 'base/rabbit/host': 'shared', 'base/rabbit/port': '5672', 'svc/rabbit/host': 'own' }, { kvPrefix: ['base', 'svc'] });
    expect(await s.kv.get('rabbit')).toEqual({ host: 'own', port: '5672' });
    await s.kv.close();
  });

  it('get returns copies: changing one does not change the store', async () => {
    const s = await memory({ 'a/b': '1' });
    const a = await s.kv.get<{ b: string }>('a');
    a.b = 'changed';
    expect(await s.kv.get('a.b')).toBe('1');
    await s.kv.close();
  });
});

describe('KVStore onReload', () => {
  it('first load with old undefined, then (old, new) per change; a memory txn is one reload; frozen configs', async () => {
    const hub = await Hub.create({ root: TSPOP_ROOT, logger: createMemoryLogger() });
    const s = await watchedStore({ hub, backend: 'memory', data: { exchange_configs: '[]' } });

    hub.kv.memory.txn([{ put: 'rabbit_host', value: 'h' }, { put: 'rabbit_port', value: '5672' }]);
    await s.reloadWhere((c) => c.rabbit_host === 'h', 'the transaction');
    await s.kv.settled();

    expect(s.reloads.map((r) => r.old)).toEqual([undefined, { exchange_configs: [] }]);
    expect(s.reloads[1]?.current).toEqual({ exchange_configs: [], rabbit_host: 'h', rabbit_port: '5672' });
    expect(Object.isFrozen(s.reloads[1]?.current)).toBe(true);
    expect(s.kv.attributeChanged('rabbit_host', 'rabbit_port')).toBe(true);
    expect(s.kv.attributeChanged('exchange_configs')).toBe(false);
    await hub.close();
  });

  it('no reload when a change leaves the configuration as it was; a failing callback does not stop the others', async () => {
    const log = createMemoryLogger();
    const hub = await Hub.create({ root: TSPOP_ROOT, logger: log });
    const s = await watchedStore({ hub, backend: 'memory', data: { a: '1' } });
    const later: unknown[] = [];
    s.kv.onReload(() => {
      throw new Error('boom');
    }, { first: true });
    s.kv.onReload((_old, cur) => void later.push(cur));

    hub.kv.memory.put('a', '1');
    hub.kv.memory.put('a', '2');
    await waitFor(() => later.length === 1, 'the second callback');

    expect(s.reloads).toHaveLength(2);
    expect(log.records.filter((r) => r.msg === 'kv: an onReload callback failed')).toHaveLength(1);
    await hub.close();
  });

  it('reloadEnabled false: the configuration is read once', async () => {
    const hub = await Hub.create({ root: TSPOP_ROOT, logger: createMemoryLogger() });
    const s = await watchedStore({ hub, backend: 'memory', data: { a: '1' }, reloadEnabled: false });
    hub.kv.memory.put('a', '2');
    await new Promise((r) => setTimeout(r, 100));
    expect(await s.kv.get('a')).toBe('1');
    expect(s.kv.isReloadingEnabled()).toBe(false);

    await s.kv.enableReloading();
    expect(await s.kv.get('a')).toBe('2');
    await hub.close();
  });
});

describe('KVStore logging configuration', () => {
  it('logging_level and logging_config set the hub logger levels live, and are undone when removed', async () => {
    const log = createMemoryLogger();
    const hub = await Hub.create({ root: TSPOP_ROOT, logger: log });
    const s = await watchedStore({ hub, backend: 'memory', data: { logging_level: 'WARNING', logging_config: '{"evbus": "DEBUG"}' } });

    expect(log.levels()).toEqual({ level: 'warn', areas: { evbus: 'debug' } });
    hub.log.info('kv: hidden');
    hub.log.debug('evbus: shown');
    expect(log.records.map((r) => r.msg)).toContain('evbus: shown');
    expect(log.records.map((r) => r.msg)).not.toContain('kv: hidden');

    hub.kv.memory.txn([{ remove: 'logging_level' }, { remove: 'logging_config' }]);
    await waitFor(() => log.levels().level === 'debug', 'the levels to be restored');
    await s.kv.close();
    await hub.close();
  });
});

describe('KVStore on a host hub', () => {
  it('a host drops its own backend into its kv dyne; one without open() is a coded error', async () => {
    const root = fixture('kv-host');
    const hub = await Hub.create({ root, logger: createMemoryLogger() });
    const kv = await (await import('../../../src/index.ts')).KVStore;
    const store = new kv({ hub, backend: 'static', env: {} });
    expect(await store.get('greeting')).toBe('hello from the host backend');
    expect(hub.kv.init.backends()).toEqual(expect.arrayContaining(['consul', 'etcd', 'file', 'memory', 'static']));

    const broken = new kv({ hub, backend: 'broken', env: {} });
    await expect(broken.ready()).rejects.toBeInstanceOf(KvBackendError);
    await expect(new kv({ hub, backend: 'nosuch', env: {} }).ready()).rejects.toBeInstanceOf(KvBackendError);
    await hub.close();
    await expect(store.get('greeting')).rejects.toBeInstanceOf(KvClosedError);
  });

  it('a standalone store owns its hub and closes it', async () => {
    const s = await watchedStore({ backend: 'memory', data: { a: '1' } });
    await s.kv.close();
    await s.kv.close();
    await expect(s.kv.get('a')).rejects.toBeInstanceOf(KvClosedError);
  });
});
