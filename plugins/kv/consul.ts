/**
 * hub.kv.consul — the Consul KV backend (consulHost:consulPort, token from consulToken / CONSUL_HTTP_TOKEN):
 * a recursive read under each prefix, then blocking queries on X-Consul-Index. See _lib/consul-connection.ts.
 */
import type { Hub } from '../../src/index.ts';
import { ConsulConnection, describeConsul } from './_lib/consul-connection.ts';
import type { KvConnection, KvResolvedOptions } from './_lib/types.ts';

export function open(_hub: Hub, options: KvResolvedOptions): KvConnection {
  return new ConsulConnection(options);
}

export function describe(_hub: Hub, options: KvResolvedOptions): string {
  return describeConsul(options);
}
