/** The shared layers the queue family stands on (hub.amqp, hub.http), added from tspop's own dynes when missing. */
import type { Hub } from '../../../src/index.ts';
import { QueueConfigError } from '../_errors.ts';

export async function sharedDyne<T>(hub: Hub, name: 'amqp' | 'http', where: string): Promise<T> {
  if (hub[name] === undefined) {
    try {
      await hub.pop.sub.add({ dyneName: name });
    } catch (cause) {
      throw new QueueConfigError(`${where}: the shared ${name} dyne (hub.${name}) is not available in this project`, { cause });
    }
  }
  return hub[name] as unknown as T;
}
