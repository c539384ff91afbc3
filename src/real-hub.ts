/**
 * Reaching the real hub from any view, and closing a sub: what the pop sub's modules need from the hub, kept out
 * of hub.ts so that hub.ts (which builds the pop sub) and pop/*.ts do not import each other.
 */
import { HUB_SELF, META } from './meta.ts';
import { initOrder } from './plugin-files.ts';
import { describeError } from './describe-error.ts';
import type { HubImpl, HubState } from './hub.ts';
import type { Module } from './module.ts';
import type { Sub } from './sub.ts';
import type { Logger } from './types.ts';

/** Runs a sub's modules' `__close__` hooks in reverse init order: `init` closes last, as it initialised first. */
export async function closeSub(sub: Sub, log: Logger): Promise<void> {
  const modules = sub[META].modules;
  for (const name of initOrder(modules.keys()).reverse()) {
    const mod = modules.get(name) as Module;
    for (const hook of [...mod[META].closeHooks].reverse()) {
      try {
        await hook();
      } catch (err) {
        log.error(`__close__ of ${mod[META].paths.join('+')} failed: ${describeError(err)}`);
      }
    }
  }
}

/** The real hub behind `hub`, which may be a module's view of it. */
export function realHub(hub: object): HubImpl & HubState {
  return (hub as HubImpl)[HUB_SELF];
}
