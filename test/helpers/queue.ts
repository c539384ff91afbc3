/** Hubs for queue tests: tspop's own dynes, a memory logger, the queue dyne loaded. */
import { Hub, createMemoryLogger } from '../../src/index.ts';
import { TSPOP_ROOT, type MemoryLogger } from './evbus.ts';

export async function queueHub(root = TSPOP_ROOT): Promise<{ hub: Hub; log: MemoryLogger }> {
  const log = createMemoryLogger();
  const hub = await Hub.create({ root, logger: log });
  await hub.pop.sub.add({ dyneName: 'queue', stopOnFailures: true });
  return { hub, log };
}

/** Resolves when `cond()` holds, polling; rejects after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export { sleep } from './evbus.ts';
