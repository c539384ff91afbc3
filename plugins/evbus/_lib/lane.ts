/**
 * A lane delivers events to one ingress plugin for one acct profile. Each lane has its own bounded queue and
 * worker, so a slow or failing publisher (an HTTP endpoint timing out) holds back only its own lane until its
 * queue fills. Within a lane events are published in put order: one at a time, or up to `concurrency` calls
 * in flight for plugins that keep call order themselves (amqp).
 */
import { BoundedQueue } from '../../../src/bounded-queue.ts';
import type { IngressCtx, IngressEvent } from './types.ts';

export const LANE_END: unique symbol = Symbol('evbus.lane.end');

export interface LaneSpec {
  readonly plugin: string;
  readonly ctx: IngressCtx;
  readonly publish: (ctx: IngressCtx, event: IngressEvent) => unknown;
  readonly concurrency: number;
}

export type LaneFailure = (lane: Lane, event: IngressEvent, error: unknown) => void;

export class Lane {
  readonly plugin: string;
  readonly ctx: IngressCtx;
  readonly queue: BoundedQueue<IngressEvent | typeof LANE_END>;
  readonly #publish: LaneSpec['publish'];
  readonly #concurrency: number;
  readonly #onFailure: LaneFailure;
  #inFlight = 0;
  #ended = false;
  /** 1 while the worker holds an event it took off the queue and waits for a free slot to send it. */
  #holding = 0;
  #slot: (() => void) | undefined;
  /** Resolves when the worker has published everything before `end()` and nothing is in flight. */
  readonly done: Promise<void>;

  constructor(spec: LaneSpec, queueSize: number, onFailure: LaneFailure) {
    this.plugin = spec.plugin;
    this.ctx = spec.ctx;
    this.#publish = spec.publish;
    this.#concurrency = spec.concurrency;
    this.#onFailure = onFailure;
    this.queue = new BoundedQueue(queueSize);
    this.done = this.#work();
  }

  /** Queues `event`; waits only when this lane's queue is full. */
  offer(event: IngressEvent): Promise<void> | undefined {
    return this.queue.tryPut(event) ? undefined : this.queue.put(event);
  }

  /** Finish after everything queued so far. */
  end(): void {
    this.#ended = true;
    this.queue.force(LANE_END);
  }

  /** Events handed to this lane and not yet settled (queued or being published). */
  get pending(): number {
    return this.queue.size - (this.#ended && this.queue.size > 0 ? 1 : 0) + this.#holding + this.#inFlight;
  }

  async #work(): Promise<void> {
    for (;;) {
      const item = this.queue.tryGet() ?? (await this.queue.get());
      if (item === LANE_END) break;
      if (this.#inFlight >= this.#concurrency) {
        this.#holding = 1;
        await new Promise<void>((resolve) => (this.#slot = resolve));
        this.#holding = 0;
      }
      this.#send(item);
    }
    while (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#slot = resolve));
  }

  #send(event: IngressEvent): void {
    let result: unknown;
    try {
      result = this.#publish(this.ctx, event);
    } catch (err) {
      this.#onFailure(this, event, err);
      return;
    }
    if (!isThenable(result)) return;
    this.#inFlight++;
    result.then(this.#ok, (err: unknown) => {
      this.#settled();
      this.#onFailure(this, event, err);
    });
  }

  readonly #ok = (): void => this.#settled();

  #settled(): void {
    this.#inFlight--;
    const wake = this.#slot;
    this.#slot = undefined;
    wake?.();
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
