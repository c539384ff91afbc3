/** Helpers for the dripline tests: a hub with the dripline dyne, hand-made requests, unique service names. */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Hub, createMemoryLogger, type Hub as HubType } from '../../src/index.ts';
import type { DriplineRequest } from '../../plugins/dripline/_lib/message.ts';
import { senderInfo } from '../../plugins/dripline/_lib/sender-info.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TUTORIAL = fileURLToPath(new URL('../../plugins/dripline/examples/kv_store_tutorial.yaml', import.meta.url));

export async function driplineHub(): Promise<{ hub: HubType; log: ReturnType<typeof createMemoryLogger> }> {
  const log = createMemoryLogger();
  const hub = await Hub.create({ root: ROOT, logger: log });
  await hub.pop.sub.add({ dyneName: 'dripline' });
  return { hub, log };
}

/** A name no other test file (or run) uses: services, queues and bindings never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

const OPS = { set: 0, get: 1, cmd: 9 } as const;

export function request(routingKey: string, op: keyof typeof OPS | number, fields: Partial<DriplineRequest> = {}): DriplineRequest {
  return {
    type: 'request', routingKey, correlationId: randomUUID(), messageId: randomUUID(), replyTo: '', specifier: '',
    timestamp: '', senderInfo: senderInfo('test'), payload: undefined, lockoutKey: '',
    operation: typeof op === 'number' ? op : OPS[op], ...fields,
  };
}
