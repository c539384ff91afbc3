/**
 * The etcd backend against a real etcd started on free loopback ports (test/helpers/etcd.ts). Writes go through
 * etcdctl, as an operator would make them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdTxn, etcdctl, startEtcd, type EtcdCluster } from '../../helpers/etcd.ts';
import { uniquePrefix, watchedStore } from '../../helpers/kv.ts';
import { requireService } from '../../helpers/services.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const { available } = requireService('etcd');
const describeEtcd = available ? describe : describe.skip;

describeEtcd('kv etcd backend against a real etcd', () => {
  let etcd: EtcdCluster;
  beforeAll(async () => {
    etcd = await startEtcd(1);
  }, 90_000);
  afterAll(async () => etcd?.stop());

  it('etcdctl put -> onReload(old, new); old is undefined on the first load', async () => {
    const p = uniquePrefix('put');
    await etcdctl(etcd.endpoints, 'put', `${p}rabbit/host`, 'rabbit-1');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p });

    await etcdctl(etcd.endpoints, 'put', `${p}rabbit/host`, 'rabbit-2');
    const r = await s.reloadWhere((c) => (c.rabbit as { host: string }).host === 'rabbit-2', 'the new host');

    expect(s.reloads[0]?.old).toBeUndefined();
    expect(r.old).toEqual({ rabbit: { host: 'rabbit-1' } });
    expect(await s.kv.get('rabbit.host')).toBe('rabbit-2');
    expect(s.kv.attributeChanged('rabbit')).toBe(true);
    await s.kv.close();
  });

  it('kv.put writes below the last prefix; the change arrives like any other, and a new store reads it (a restart)', async () => {
    const p = uniquePrefix('write');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: `base-${p},${p}` });

    await s.kv.put('svc.peaches', { value: 0.8 });
    await s.reloadWhere((c) => (c.svc as { peaches?: unknown } | undefined)?.peaches !== undefined, 'the written key');

    expect(await etcdctl(etcd.endpoints, 'get', '--print-value-only', `${p}svc/peaches`)).toContain('{"value":0.8}');
    await s.kv.close();
    const again = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p });
    expect(await again.kv.get('svc.peaches')).toEqual({ value: 0.8 });
    await again.kv.close();
  });

  it('a deleted key is gone from the next config', async () => {
    const p = uniquePrefix('del');
    await etcdctl(etcd.endpoints, 'put', `${p}a`, '1');
    await etcdctl(etcd.endpoints, 'put', `${p}b`, '2');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p });

    await etcdctl(etcd.endpoints, 'del', `${p}a`);
    await s.reloadWhere((c) => !('a' in c), 'a to be deleted');

    expect(await s.kv.getDict()).toEqual({ b: '2' });
    expect(await s.kv.get('a', 'gone')).toBe('gone');
    await s.kv.close();
  });

  it('a transaction of several puts gives one reload with all of them', async () => {
    const p = uniquePrefix('txn');
    await etcdctl(etcd.endpoints, 'put', `${p}seed`, '0');
    // no debounce: only the watch's whole-response handling keeps the transaction together
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p, debounceMs: 0 });

    await etcdTxn(etcd.endpoints, { [`${p}rabbit_host`]: 'h', [`${p}rabbit_port`]: '5672', [`${p}rabbit_user`]: 'guest' });
    await s.reloadWhere((c) => c.rabbit_host === 'h', 'the transaction');
    await s.kv.settled();

    expect(s.reloads).toHaveLength(2);
    expect(s.reloads[1]?.current).toEqual({ seed: '0', rabbit_host: 'h', rabbit_port: '5672', rabbit_user: 'guest' });
    await s.kv.close();
  });

  it('a burst of separate puts within the debounce window gives one reload', async () => {
    const p = uniquePrefix('burst');
    await etcdctl(etcd.endpoints, 'put', `${p}n`, '0');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p, debounceMs: 300 });
    const { Etcd3 } = await import('etcd3');
    const client = new Etcd3({ hosts: etcd.endpoints.map((e) => `http://${e}`) });
    try {
      for (let i = 1; i <= 10; i++) await client.put(`${p}n`).value(String(i));
    } finally {
      client.close();
    }
    await s.reloadWhere((c) => c.n === '10', 'the last put');
    await s.kv.settled();

    expect(s.reloads.map((r) => r.current.n)).toEqual(['0', '10']);
    await s.kv.close();
  });

  it('prefix overlay: later prefixes win, and a change under any of them reloads', async () => {
    const base = uniquePrefix('base');
    const svc = uniquePrefix('svc');
    await etcdctl(etcd.endpoints, 'put', `${base}rabbit/host`, 'shared-rabbit');
    await etcdctl(etcd.endpoints, 'put', `${base}rabbit/port`, '5672');
    await etcdctl(etcd.endpoints, 'put', `${svc}rabbit/host`, 'own-rabbit');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: [base, svc] });

    expect(await s.kv.get('rabbit')).toEqual({ host: 'own-rabbit', port: '5672' });
    await etcdctl(etcd.endpoints, 'put', `${base}rabbit/port`, '5673');
    await s.reloadWhere((c) => (c.rabbit as { port: string }).port === '5673', 'a change under the first prefix');
    await etcdctl(etcd.endpoints, 'del', `${svc}rabbit/host`);
    await s.reloadWhere((c) => (c.rabbit as { host: string }).host === 'shared-rabbit', 'the override removed');
    await s.kv.close();
  });

  it('the seed design (watch: false) polls every reloadSeconds', async () => {
    const p = uniquePrefix('poll');
    await etcdctl(etcd.endpoints, 'put', `${p}v`, '1');
    const s = await watchedStore({ etcdEndpoints: etcd.endpoints, kvPrefix: p, watch: false, reloadSeconds: 0.2 });

    await etcdctl(etcd.endpoints, 'put', `${p}v`, '2');
    await s.reloadWhere((c) => c.v === '2', 'the polled change');
    await s.kv.close();
  });
});

describeEtcd('kv etcd backend when etcd goes away', () => {
  it('keeps the last config, logs the outage and its end once, and gets the changes made meanwhile', async () => {
    const etcd = await startEtcd(1);
    const proxy = await new TcpProxy(etcd.members[0]!.clientPort).start();
    try {
      const p = uniquePrefix('outage');
      await etcdctl(etcd.endpoints, 'put', `${p}queue`, 'q1');
      const s = await watchedStore({ etcdEndpoints: [proxy.endpoint], kvPrefix: p });

      await etcd.kill('m1');
      await waitFor(() => s.logged('kv: the store is unreachable').length === 1, 'the outage to be logged');
      await proxy.cut(); // etcd comes back, but this client must not see it before the test says so
      await etcd.restart('m1');
      await etcdctl(etcd.endpoints, 'put', `${p}queue`, 'q2');
      await etcdctl(etcd.endpoints, 'put', `${p}exchange`, 'ex');
      await new Promise((r) => setTimeout(r, 2000)); // several reconnect attempts fail meanwhile

      expect(await s.kv.get('queue')).toBe('q1');
      expect(s.reloads).toHaveLength(1);
      await proxy.restore();
      const r = await s.reloadWhere((c) => c.queue === 'q2' && c.exchange === 'ex', 'the changes made during the outage');

      expect(r.old).toEqual({ queue: 'q1' });
      expect(s.logged('kv: the store is unreachable')).toHaveLength(1);
      await waitFor(() => s.logged('kv: the store answers again').length === 1, 'the recovery to be logged');
      for (const reload of s.reloads) expect(Object.keys(reload.current).length).toBeGreaterThan(0);

      // killed and restarted once more, with nothing in between: a put after the restart arrives
      await etcd.kill('m1');
      await etcd.restart('m1');
      await etcdctl(etcd.endpoints, 'put', `${p}queue`, 'q3');
      await s.reloadWhere((c) => c.queue === 'q3', 'a put after the restart');
      await s.kv.close();
    } finally {
      await proxy.close();
      await etcd.stop();
    }
  }, 120_000);

  it('no store answering at all is a coded error naming the addresses tried', async () => {
    const { KVStore, KvUnreachableError } = await import('../../../src/index.ts');
    const { freePort } = await import('../../helpers/free-port.ts');
    const [etcdPort, consulPort] = [await freePort(), await freePort()];
    const kv = new KVStore({ consulHost: '127.0.0.1', consulPort, etcdHost: '127.0.0.1', etcdPort, connectTimeoutMs: 2000, env: {} });

    const err = await kv.ready().then(() => undefined, (e: Error & { code?: string }) => e);

    expect(err).toBeInstanceOf(KvUnreachableError);
    expect(err?.message).toContain(`consul at http://127.0.0.1:${consulPort}`);
    expect(err?.message).toContain(`etcd at 127.0.0.1:${etcdPort}`);
    await kv.close();
  });
});
