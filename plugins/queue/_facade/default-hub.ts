/**
 * The hub the seed-shaped facades use when none is given: one per process, made on first use, with the queue
 * dyne of the project in the current directory (so a host's own transports are found), or tspop's own when
 * that project does not merge tspop. `setQueueHub(hub)` makes them use yours.
 */
import { fileURLToPath } from 'node:url';
import { Hub } from '../../../src/hub.ts';
import type { Hub as HubType } from '../../../src/types.ts';

const TSPOP_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let shared: Promise<HubType> | undefined;

export function setQueueHub(hub: HubType): void {
  shared = Promise.resolve(hub);
}

export function queueHub(): Promise<HubType> {
  shared ??= (async () => {
    for (const root of [process.cwd(), TSPOP_ROOT]) {
      const hub = await Hub.create({ root });
      try {
        await hub.pop.sub.add({ dyneName: 'queue', stopOnFailures: true });
        if (hub.queue?.init) return hub;
      } catch {
        // this project does not have the queue dyne: try tspop's own
      }
      await hub.close();
    }
    throw new Error('tspop: the queue dyne could not be loaded');
  })();
  return shared;
}
