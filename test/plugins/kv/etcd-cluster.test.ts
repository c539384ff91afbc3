/**
 * A three-member etcd cluster on loopback: the member the store's watch talks to is killed, and changes made
 * through the others keep arriving. The member is found from the store's own debug record (the watch
 * response's member id), so the test kills exactly the one in use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdctl, startEtcd, type EtcdCluster } from '../../helpers/etcd.ts';
import { uniquePrefix, watchedStore } from '../../helpers/kv.ts';
import { requireService } from '../../helpers/services.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const { available } = requireService('etcd');

(available ? describe : describe.skip)('kv etcd backend on a three-member cluster', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await startEtcd(3);
  }, 120_000);
  afterAll(async () => cluster?.stop());

  it('the member the store watches through is killed: changes keep arriving', async () => {
    const p = uniquePrefix('cluster');
    await etcdctl(cluster.endpoints, 'put', `${p}rabbit_host`, 'r0');
    const s = await watchedStore({ etcdEndpoints: cluster.endpoints, kvPrefix: p });
    const watchingOn = () => s.logged('kv.etcd: watching').map((r) => String(r.fields?.member));
    const first = await waitFor(() => watchingOn()[0], 'the watch to start');
    const victim = cluster.members.find((m) => m.id === first);
    expect(victim, `member ${first} of ${cluster.members.map((m) => m.id).join(',')}`).toBeDefined();

    await cluster.kill(victim!.name);
    const others = cluster.members.filter((m) => m !== victim).map((m) => m.endpoint);
    // the survivors may be electing a leader: retry the write until they accept it
    await waitFor(async () => (await etcdctl(others, 'put', `${p}rabbit_host`, 'r1'), true), 'the survivors to accept a write', 60_000, 500);
    await s.reloadWhere((c) => c.rabbit_host === 'r1', 'the change made after the member died', 60_000);
    await etcdctl(others, 'put', `${p}rabbit_host`, 'r2');
    await s.reloadWhere((c) => c.rabbit_host === 'r2', 'a later change', 60_000);

    const now = watchingOn().at(-1);
    expect(now).not.toBe(first);
    expect(cluster.members.filter((m) => m !== victim).map((m) => m.id)).toContain(now);
    await s.kv.close();
  }, 180_000);
});
