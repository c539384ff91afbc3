/**
 * In-process queues for `hub.queue.memory` (streamtools' AsyncIO queue): the same ack / redelivery / dead-letter
 * rules as the brokers, so code tested on memory behaves the same on AMQP or NATS. Nothing survives the process.
 */
import type { Logger } from '../../../src/types.ts';
import { describeError } from '../../../src/errors.ts';
import type { MessageHandler, QueueMessage } from './types.ts';

interface Entry {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly headers: Record<string, unknown>;
  readonly id: string | undefined;
  readonly routingKey: string | undefined;
  deliveries: number;
}

export interface MemorySubscription {
  readonly handler: MessageHandler;
  readonly concurrency: number;
  readonly maxDeliveries: number;
  readonly deadLetter: string | undefined;
  running: number;
  stopped: boolean;
  readonly onSettled: (p: Promise<unknown>) => void;
}

interface MemQueue {
  readonly ready: Entry[];
  readonly subs: MemorySubscription[];
  next: number;
}

export class MemoryBroker {
  readonly #queues = new Map<string, MemQueue>();
  readonly #log: Logger;
  /** Dead-lettered messages that had no dead-letter queue, per queue (for tests and diagnostics). */
  readonly dropped = new Map<string, number>();

  constructor(log: Logger) {
    this.#log = log;
  }

  #queue(name: string): MemQueue {
    let q = this.#queues.get(name);
    if (!q) this.#queues.set(name, (q = { ready: [], subs: [], next: 0 }));
    return q;
  }

  /** Messages waiting (not being handled) on `name`. */
  depth(name: string): number {
    return this.#queues.get(name)?.ready.length ?? 0;
  }

  publish(name: string, msg: Omit<Entry, 'deliveries'>): void {
    this.#queue(name).ready.push({ ...msg, deliveries: 0 });
    this.#dispatch(name);
  }

  subscribe(name: string, sub: MemorySubscription): void {
    this.#queue(name).subs.push(sub);
    this.#dispatch(name);
  }

  unsubscribe(name: string, sub: MemorySubscription): void {
    sub.stopped = true;
    const q = this.#queues.get(name);
    if (q) q.subs.splice(q.subs.indexOf(sub) >>> 0, 1);
  }

  #dispatch(name: string): void {
    const q = this.#queue(name);
    while (q.ready.length > 0) {
      const sub = this.#pick(q);
      if (!sub) return;
      const entry = q.ready.shift() as Entry;
      this.#deliver(name, q, sub, entry);
    }
  }

  /** Round robin over subscriptions with a free slot. */
  #pick(q: MemQueue): MemorySubscription | undefined {
    for (let i = 0; i < q.subs.length; i++) {
      const sub = q.subs[(q.next + i) % q.subs.length] as MemorySubscription;
      if (!sub.stopped && sub.running < sub.concurrency) {
        q.next = (q.next + i + 1) % q.subs.length;
        return sub;
      }
    }
    return undefined;
  }

  #deliver(name: string, q: MemQueue, sub: MemorySubscription, entry: Entry): void {
    entry.deliveries++;
    sub.running++;
    const msg: QueueMessage = {
      queue: name, body: entry.body, contentType: entry.contentType, headers: entry.headers, id: entry.id,
      routingKey: entry.routingKey, redelivered: entry.deliveries > 1, deliveryCount: entry.deliveries, raw: entry,
    };
    const p = (async () => sub.handler(msg))().then(
      () => undefined,
      (err: unknown) => this.#failed(name, q, sub, entry, err),
    ).finally(() => {
      sub.running--;
      this.#dispatch(name);
    });
    sub.onSettled(p);
  }

  #failed(name: string, q: MemQueue, sub: MemorySubscription, entry: Entry, err: unknown): void {
    if (entry.deliveries < sub.maxDeliveries) {
      // back at the head, as a broker requeues a nacked message at its original position
      q.ready.unshift(entry);
      return;
    }
    this.#log.warn('queue memory: handler failed on the last allowed delivery; dead-lettering the message', {
      queue: name, deliveries: entry.deliveries, deadLetter: sub.deadLetter ?? 'none (dropped)', error: describeError(err),
    });
    if (sub.deadLetter) this.publish(sub.deadLetter, { ...entry, headers: { ...entry.headers, 'x-death-reason': describeError(err) } });
    else this.dropped.set(name, (this.dropped.get(name) ?? 0) + 1);
  }
}
