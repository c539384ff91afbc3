/**
 * hub.amqp — the AMQP 0-9-1 (RabbitMQ) layer every family shares: reconnecting connections shared per broker and
 * credentials (`connection`), topology re-declared after reconnects (`topology`), confirm publishers with a bounded
 * buffer (`publisher`) and consumers that ack after their handler (`consumer`).
 *
 * State on the sub: CONNECTIONS (sharing key -> SharedConnection), LEASES (every open lease).
 */
import type { Hub } from '../../src/index.ts';
import type { ConnectionLease } from './_lib/connection-lease.ts';
import type { SharedConnection } from './_lib/shared-connection.ts';

export function __init__(hub: Hub): void {
  hub.__.CONNECTIONS = new Map<string, SharedConnection>();
  hub.__.LEASES = new Set<ConnectionLease>();
  hub.__.CLOSE_DRAIN_MS = 10_000;
}

/**
 * On hub.close(): closes every lease not opened with `hold` (publishers drain up to CLOSE_DRAIN_MS). Held leases
 * belong to a family that closes them in its own order (evbus drains its bus first).
 */
export async function __close__(hub: Hub): Promise<void> {
  const leases = [...(hub.__.LEASES as Set<ConnectionLease>)].filter((l) => !l.hold);
  await Promise.all(leases.map((l) => l.close({ drainMs: hub.__.CLOSE_DRAIN_MS as number })));
}
