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

/**
 * Sends `<prefix>0`, `<prefix>1`, ... from `senders` concurrent loops (each waits for its send to resolve) until
 * `ready()` holds, runs `crash()`, and goes on until `after` more sends have started. A send that rejects fails it.
 * Resolves with every id whose send resolved and the ids whose send started once the crash was over.
 *
 * No new send starts while `crash()` runs (only the ones already in flight go on): killing a broker can take
 * seconds on a loaded machine, and sends that went on meanwhile, to the broker failed over to, once piled up
 * 19,000 messages ahead of the `after` ones for a deliberately slow consumer to work through.
 */
export async function sendThroughCrash(send: (id: string) => Promise<void>, o: { prefix: string; senders: number; ready: (confirmed: readonly string[]) => boolean; crash: () => Promise<void>; after: number; what: string }): Promise<{ confirmed: string[]; sentAfterCrash: string[] }> {
  const confirmed: string[] = [];
  const sentAfterCrash: string[] = [];
  let crashed = false;
  let i = 0;
  let limit = Infinity;
  let paused: Promise<void> | undefined;
  const sending = Promise.all(Array.from({ length: o.senders }, async () => {
    for (;;) {
      if (paused) await paused;
      if (i >= limit) return;
      const id = `${o.prefix}${i++}`;
      if (crashed) sentAfterCrash.push(id);
      await send(id);
      confirmed.push(id);
    }
  }));
  sending.catch(() => undefined); // awaited below; a failure while waiting for ready() must not be unhandled
  await Promise.race([until(() => o.ready(confirmed), 60_000, o.what), sending]);
  let resume = (): void => undefined;
  paused = new Promise<void>((r) => (resume = r));
  try {
    await o.crash();
  } finally {
    crashed = true;
    limit = i + o.after;
    paused = undefined;
    resume();
  }
  await sending;
  return { confirmed, sentAfterCrash };
}
