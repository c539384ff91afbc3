/**
 * hub.amqp.connection — leases on shared, reconnecting broker connections.
 *
 *   const conn = hub.amqp.connection.open({ urls: ['amqp://guest:guest@127.0.0.1:5672/'], label: 'queue/orders' });
 *   await conn.whenConnected(10_000);   // optional: a refused login or an unreachable broker fails here
 *   ...
 *   await conn.close();
 */
import type { Hub } from '../../src/index.ts';
import { ConnectionLease } from './_lib/connection-lease.ts';
import { connectSettings } from './_lib/connect-settings.ts';
import { SharedConnection } from './_lib/shared-connection.ts';
import type { AmqpConnectOptions } from './_lib/types.ts';

/**
 * A lease on the connection for these settings: leases with the same brokers, user, password, vhost and tls share
 * one connection (and its reconnect loop). Connects in the background; the socket closes with the last lease.
 * Throws TSPOP_ERR_AMQP_OPTIONS on bad options.
 */
export function open(hub: Hub, opts: AmqpConnectOptions = {}): ConnectionLease {
  const settings = connectSettings(opts);
  const sub = hub.__;
  const connections = sub.CONNECTIONS as Map<string, SharedConnection>;
  const leases = sub.LEASES as Set<ConnectionLease>;
  let shared = connections.get(settings.key);
  if (!shared || shared.failure) {
    shared = new SharedConnection(settings, hub.log);
    connections.set(settings.key, shared);
  }
  shared.leases++;
  const owner = shared;
  const lease = new ConnectionLease(owner, opts.hold === true, async (l) => {
    leases.delete(l);
    owner.leases--;
    if (owner.leases > 0) return;
    if (connections.get(settings.key) === owner) connections.delete(settings.key);
    await owner.close();
  });
  leases.add(lease);
  return lease;
}

/** Shared connections open now, for diagnostics: label, leases, connected. */
export function list(hub: Hub): Array<{ label: string; leases: number; connected: boolean }> {
  return [...(hub.__.CONNECTIONS as Map<string, SharedConnection>).values()].map((c) => ({ label: c.label, leases: c.leases, connected: c.connected }));
}
