/**
 * hub.kv.etcd — the etcd v3 backend (etcdEndpoints / ETCD_ENDPOINTS, or etcdHost:etcdPort): a consistent read,
 * then a watch from that revision that survives reconnects and the loss of the member it talked to. See
 * _lib/etcd-connection.ts.
 */
import type { Hub } from '../../src/index.ts';
import { EtcdConnection, describeEtcd } from './_lib/etcd-connection.ts';
import type { KvConnection, KvResolvedOptions } from './_lib/types.ts';

export function open(hub: Hub, options: KvResolvedOptions): KvConnection {
  return new EtcdConnection(options, hub.log);
}

export function describe(_hub: Hub, options: KvResolvedOptions): string {
  return describeEtcd(options);
}
