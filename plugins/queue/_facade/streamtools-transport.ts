/**
 * streamtools' names and environment, as transport options: `PRODUCERS[type]` / `CONSUMER_LOOPS[type]` take a
 * transport name (amqp, http, nats, disk, memory, a host's own) or one of streamtools' handler names.
 */
import { join, isAbsolute } from 'node:path';
import { tmpdir } from 'node:os';
import type { TransportOptions } from '../_lib/types.ts';

/** streamtools' handler names, mapped onto the transports that play their part here. */
export const STREAMTOOLS_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  RMQIOHandler: 'amqp',
  HTTPHandler: 'http',
  POSTHandler: 'http',
  KafkaHandler: 'nats',
  AsyncIOHandler: 'memory',
});

export const BUILTIN_TRANSPORTS = ['amqp', 'http', 'nats', 'disk', 'memory'] as const;

export function transportName(type: string): string {
  return STREAMTOOLS_ALIASES[type] ?? type;
}

/** Options for `queueName` on `transport`: streamtools' queues are names, the disk transport wants a folder. */
export function streamtoolsOptions(transport: string, queueName: string, opts: Record<string, unknown>): TransportOptions {
  if (transport === 'disk' && !isAbsolute(queueName)) {
    const root = (opts.queue_dir as string | undefined) ?? process.env.QUEUE_DIR ?? join(tmpdir(), 'tspop-queues');
    return { ...opts, queue: join(root, queueName) };
  }
  return { ...opts, queue: queueName };
}
