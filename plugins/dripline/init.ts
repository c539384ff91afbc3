/**
 * hub.dripline — dripline v3 services, clients and monitors over the shared AMQP layer (hub.amqp). Endpoint
 * modules are the plugins of the nested sub `hub.dripline.endpoints`, made from the `endpoints/` folder of
 * every dripline dyne folder, so a host adds one by dropping `<module>.ts` into its own `<dyne>/endpoints/`.
 *
 * State on the sub: RUNNING (services and clients to stop on hub.close()).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/describe-error.ts';

export interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

export async function __init__(hub: Hub): Promise<void> {
  const sub = hub.__;
  sub.RUNNING = new Set<Stoppable>();
  const dirs = (hub.pop.sub.getDirs(sub) as string[]).map((d) => join(d, 'endpoints')).filter((d) => existsSync(d));
  if (dirs.length > 0) await hub.pop.sub.add({ staticDir: dirs, subname: 'endpoints', sub });
}

/** Tracks something hub.close() must stop; returns the function that forgets it again. */
export function track(hub: Hub, item: Stoppable): () => void {
  const running: Set<Stoppable> = hub.__.RUNNING;
  running.add(item);
  return () => running.delete(item);
}

/** True while something named `name` is tracked (a running service: `service <name>`). */
export function running(hub: Hub, name: string): boolean {
  return [...(hub.__.RUNNING as Set<Stoppable>)].some((s) => s.name === name);
}

/** On hub.close(): stop every service, client and monitor still running, newest first. */
export async function __close__(hub: Hub): Promise<void> {
  const running: Set<Stoppable> = hub.__.RUNNING;
  for (const item of [...running].reverse()) {
    await item.stop().catch((err: unknown) => hub.log.warn(`dripline: stopping ${item.name} failed`, { error: describeError(err) }));
  }
  running.clear();
}
