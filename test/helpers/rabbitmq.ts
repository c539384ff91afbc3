/**
 * RabbitMQ helpers for tests: a private vhost per test file (so `close_all_connections -p <vhost>` only hits our
 * own connections, and deleting the vhost removes every queue we made) and a raw amqplib reader.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type GetMessage } from 'amqplib';

const run = promisify(execFile);
export const RABBITMQCTL = '/usr/sbin/rabbitmqctl';

/** Runs rabbitmqctl without blocking the event loop (publishers keep running during an outage). */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run(RABBITMQCTL, args, { timeout: 60_000 });
  return stdout;
}

export async function createVhost(): Promise<string> {
  const vhost = `evbus-test-${randomUUID().slice(0, 8)}`;
  await whenRunning(() => rabbitmqctl('add_vhost', vhost));
  await whenRunning(() => rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'));
  return vhost;
}

/**
 * Runs a rabbitmqctl command, waiting out a broker that another process is restarting (the machine's RabbitMQ is
 * shared: a stop_app elsewhere must not fail this file's setup).
 */
async function whenRunning<T>(command: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await command();
    } catch (err) {
      const restarting = /start_app|not running|nodedown|unable to perform an operation/i.test(String((err as Error).message));
      if (!restarting || attempt >= 3) throw err;
      await rabbitmqctl('await_startup', '--timeout', '60').catch(() => undefined);
    }
  }
}

export async function deleteVhost(vhost: string): Promise<void> {
  await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
}

export const BROKER = { hostname: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' } as const;

/** Reads messages off `queue` until `count` arrived or `timeoutMs` passed (acknowledging them). */
export async function readQueue(vhost: string, queue: string, count: number, timeoutMs = 15_000): Promise<GetMessage[]> {
  const conn = await connect({ ...BROKER, vhost });
  try {
    const ch = await conn.createChannel();
    const out: GetMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg) out.push(msg);
      else await new Promise((r) => setTimeout(r, 20));
    }
    // anything beyond `count` (at-least-once duplicates) is read too, so callers see the whole queue
    for (let msg = await ch.get(queue, { noAck: true }); msg; msg = await ch.get(queue, { noAck: true })) out.push(msg);
    return out;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** First occurrences in arrival order (at-least-once delivery may repeat messages after an outage). */
export function firstOccurrences<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const out: T[] = [];
  for (const v of values) {
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** True when the local broker accepts a connection (guest/guest on 127.0.0.1:5672). */
export async function reachable(): Promise<boolean> {
  try {
    await (await connect(BROKER)).close();
    return true;
  } catch {
    return false;
  }
}
