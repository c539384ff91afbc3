/** Hubs for evbus tests: tspop's own dynes only, a memory logger, evbus loaded. */
import { fileURLToPath } from 'node:url';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import type { IngressEvent } from '../../plugins/evbus/_lib/types.ts';

export const TSPOP_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type MemoryLogger = ReturnType<typeof createMemoryLogger>;

export async function evbusHub(root = TSPOP_ROOT): Promise<{ hub: Hub; log: MemoryLogger }> {
  const log = createMemoryLogger();
  const hub = await Hub.create({ root, logger: log });
  await hub.pop.sub.add({ dyneName: 'evbus' });
  return { hub, log };
}

/** Raw bodies the internal ingress holds on `routingKey`, removed from its queue. */
export function internalBodies(hub: Hub, routingKey = ''): unknown[] {
  return hub.ingress.internal.get(routingKey).drain().map((e: IngressEvent) => e.raw);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
