/** Hubs for hub.amqp tests: tspop's own dynes, a memory logger, the amqp dyne loaded; a vhost per test file. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import { TSPOP_ROOT, type MemoryLogger } from './evbus.ts';
import { createVhost, deleteVhost, reachable } from './rabbitmq.ts';

export async function amqpHub(): Promise<{ hub: Hub; log: MemoryLogger }> {
  const log = createMemoryLogger();
  const hub = await Hub.create({ root: TSPOP_ROOT, logger: log });
  await hub.pop.sub.add({ dyneName: 'amqp' });
  return { hub, log };
}

export interface AmqpTestContext {
  /** This file's vhost ('' when the broker is missing and the tests skip). */
  readonly vhost: string;
  /** The current test's hub (made by `start()`), closed after each test. */
  readonly hub: Hub;
  readonly log: MemoryLogger;
  start(): Promise<Hub>;
}

/** Registers the hooks: a private vhost for the file (deleted after it), a fresh hub per test (closed after it). */
export function amqpTestContext(): AmqpTestContext {
  let vhost = '';
  let current: { hub: Hub; log: MemoryLogger } | undefined;
  beforeAll(async () => {
    if (process.env.CI !== 'true' && !(await reachable())) return;
    vhost = await createVhost();
  }, 60_000);
  afterAll(async () => {
    if (vhost) await deleteVhost(vhost);
  }, 60_000);
  afterEach(async () => {
    await current?.hub.close();
    current = undefined;
  });
  return {
    get vhost() {
      return vhost;
    },
    get hub() {
      if (!current) throw new Error('call start() first');
      return current.hub;
    },
    get log() {
      if (!current) throw new Error('call start() first');
      return current.log;
    },
    async start() {
      current = await amqpHub();
      return current.hub;
    },
  };
}
