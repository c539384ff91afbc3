/** The shared layers the queue family stands on (hub.amqp, hub.http), added from tspop's own dynes when missing. */
import type { Hub } from '../../../src/index.ts';
import { QueueConfigError } from '../_errors.ts';

// producers made at once (a queue_config of several entries) share one add of the layer: a second add of the
// same dyne while the first runs fails with TSPOP_ERR_SUB_EXISTS
const adding = new WeakMap<Hub, Map<string, Promise<void>>>();

export async function sharedDyne<T>(hub: Hub, name: 'amqp' | 'http', where: string): Promise<T> {
  if (hub[name] === undefined) {
    const inFlight = adding.get(hub) ?? new Map<string, Promise<void>>();
    adding.set(hub, inFlight);
    let add = inFlight.get(name);
    if (!add) {
      add = Promise.resolve(hub.pop.sub.add({ dyneName: name })).then(() => undefined).finally(() => inFlight.delete(name));
      inFlight.set(name, add);
    }
    try {
      await add;
    } catch (cause) {
      if (hub[name] === undefined) throw new QueueConfigError(`${where}: the shared ${name} dyne (hub.${name}) could not be added to this hub`, { cause });
    }
  }
  return hub[name] as unknown as T;
}
