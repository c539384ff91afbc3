import type { EvbusStopResult } from './types.ts';

/** `3 events for amqp amqp/default, 2 still on the bus`: the one line that reports a drain given up. */
export function describeUndelivered(result: EvbusStopResult): string {
  const parts = result.undelivered.map((u) => `${u.events} event${u.events === 1 ? '' : 's'} for ${u.plugin} ${u.provider}/${u.profile}`);
  if (result.queued > 0) parts.push(`${result.queued} still on the bus`);
  return parts.join(', ') || 'no events';
}
