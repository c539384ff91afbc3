/**
 * Beyond the seed: with a `kv:` block in the service YAML, kv_store values live in hub.kv (here a real etcd), so a
 * service restarted in a new process (a new hub) answers with the value set before, not its initial_value.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createVhost, deleteVhost } from '../../helpers/rabbitmq.ts';
import { itWith, requireService } from '../../helpers/services.ts';
import { driplineHub, uniqueName } from '../../helpers/dripline.ts';
import { startEtcd, type EtcdCluster } from '../../helpers/etcd.ts';

const it = itWith('rabbitmq');
const etcdUp = requireService('etcd').available;
const rabbitUp = requireService('rabbitmq').available;

let vhost: string;
let etcd: EtcdCluster | undefined;
const mesh = () => ({ broker: '127.0.0.1', mesh: { vhost }, userMesh: false });

beforeAll(async () => {
  if (!rabbitUp || !etcdUp) return;
  vhost = await createVhost();
  etcd = await startEtcd(1);
}, 90_000);
afterAll(async () => {
  await etcd?.stop();
  if (vhost) await deleteVhost(vhost);
});

describe('dripline kv_store values in hub.kv (etcd)', () => {
  it('survive a restart of the service in a new hub', async () => {
    if (!etcdUp) throw new Error('etcd is not available');
    const name = uniqueName('kvkeep');
    const config = {
      name,
      heartbeat_interval_s: 0,
      kv: { backend: 'etcd', etcdEndpoints: (etcd as EtcdCluster).endpoints, kvPrefix: `dripline-${name}/` },
      endpoints: [{ name: `${name}_peaches`, module: 'kv_store', calibration: '2*{}', initial_value: 0.75 }],
    };

    const first = await driplineHub();
    const svc = await first.hub.dripline.service.start(config, mesh());
    const client = await first.hub.dripline.client.open(mesh());
    await client.request(`${name}_peaches`, 'set', { payload: { values: [3.5] } });
    await client.close();
    await svc.stop();
    await first.hub.close();

    const second = await driplineHub();
    const again = await second.hub.dripline.service.start(config, mesh());
    const asker = await second.hub.dripline.client.open(mesh());
    try {
      expect((await asker.request(`${name}_peaches`, 'get')).payload).toEqual({ value_raw: 3.5, value_cal: 7 });
    } finally {
      await asker.close();
      await again.stop();
      await second.hub.close();
    }
  });
});
