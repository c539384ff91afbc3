/**
 * hub.ingress.internal — an in-process queue per routing key (pop-evbus's internal ingress), for evbus-test,
 * tests and in-process listeners. A profile's `routing_key` picks the queue (`''` when unset).
 *
 * It is a tap, not a transport: each queue keeps the newest MAX_QUEUE events (default 10000) and drops the
 * oldest beyond that (logged once per queue), so an unread tap cannot grow without bound.
 *
 *   internal:
 *     default: {}                          # events with profile "default" -> queue ''
 *     audit: { routing_key: audit }        # events with profile "audit"   -> queue 'audit'
 */
import type { Hub } from '../../src/index.ts';
import { BoundedQueue } from '../../src/bounded-queue.ts';
import type { IngressCtx, IngressEvent } from '../evbus/_lib/types.ts';

export const ACCT = ['internal'];

export function __init__(hub: Hub): void {
  hub._.QUEUE = new Map<string, BoundedQueue<IngressEvent>>();
  hub._.MAX_QUEUE = 10_000;
  hub._.DROPPED = new Map<string, number>();
  hub._.WAITERS = new Set<() => void>();
}

/** The queue for `routingKey` (created on first use). */
export function get(hub: Hub, routingKey = ''): BoundedQueue<IngressEvent> {
  const queues: Map<string, BoundedQueue<IngressEvent>> = hub._.QUEUE;
  let q = queues.get(routingKey);
  if (!q) {
    q = new BoundedQueue<IngressEvent>(hub._.MAX_QUEUE);
    queues.set(routingKey, q);
  }
  return q;
}

export function publish(hub: Hub, ctx: IngressCtx<{ routing_key?: string } | undefined>, event: IngressEvent): void {
  const key = ctx.acct?.routing_key ?? '';
  const q = get(hub, key);
  if (!q.tryPut(event)) {
    q.tryGet();
    q.tryPut(event);
    const dropped: Map<string, number> = hub._.DROPPED;
    const n = (dropped.get(key) ?? 0) + 1;
    dropped.set(key, n);
    if (n === 1) hub.log.warn('ingress.internal: queue full, dropping its oldest events (read it with get(key))', { routingKey: key, max: q.capacity });
  }
  const waiters: Set<() => void> = hub._.WAITERS;
  if (waiters.size > 0) {
    for (const w of waiters) w();
    waiters.clear();
  }
}

/** Every event now queued on every routing key, removed from the queues: `[routingKey, event]` pairs. */
export function drain(hub: Hub): Array<[string, IngressEvent]> {
  const out: Array<[string, IngressEvent]> = [];
  for (const [key, q] of hub._.QUEUE as Map<string, BoundedQueue<IngressEvent>>) for (const e of q.drain()) out.push([key, e]);
  return out;
}

/** Resolves when the next event is published on any routing key (or at once when `signal` is aborted). */
export function wait(hub: Hub, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const waiters: Set<() => void> = hub._.WAITERS;
    const done = () => {
      waiters.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    waiters.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
