/**
 * One run of the bus (`start()` until `stop()`): takes events off the bus queue in put order and hands each to
 * the lanes whose acct profile name matches the event's profile. When it meets its stop marker it ends every
 * lane and resolves once they have published everything queued before the marker.
 */
import type { Logger } from '../../../src/types.ts';
import { describeError } from '../../../src/errors.ts';
import type { BoundedQueue } from '../../../src/bounded-queue.ts';
import { Lane, type LaneFailure, type LaneSpec } from './lane.ts';
import type { IngressEvent } from './types.ts';

/** Put on the bus by `stop()`; each run only obeys its own, so a stale marker cannot end a later run. */
export interface StopMarker {
  readonly stop: true;
}

export type BusItem = IngressEvent | StopMarker;

export interface BusRunSpec {
  readonly bus: BoundedQueue<BusItem>;
  readonly lanes: readonly LaneSpec[];
  /** `(eventProfile, acctProfileName) => matches`: the acct profile name is the pattern. */
  readonly match: (name: string, pattern: string) => boolean;
  readonly queueSize: number;
  readonly stopMarker: StopMarker;
  readonly onFailure: LaneFailure;
  readonly log: Logger;
}

const ROUTES_MAX = 4096;

export class BusRun {
  readonly lanes: readonly Lane[];
  readonly #spec: BusRunSpec;
  /** event profile -> lanes; event profiles are few, so matching runs once per profile, not per event */
  readonly #routes = new Map<string, Lane[]>();

  constructor(spec: BusRunSpec) {
    this.#spec = spec;
    this.lanes = spec.lanes.map((l) => new Lane(l, spec.queueSize, spec.onFailure));
  }

  async run(): Promise<void> {
    const { bus, stopMarker } = this.#spec;
    try {
      for (;;) {
        const item = bus.tryGet() ?? (await bus.get());
        if (item === stopMarker) break;
        if (isStop(item)) continue;
        const waiting = this.propagate(item);
        if (waiting) await waiting;
      }
    } finally {
      for (const lane of this.lanes) lane.end();
      await Promise.all(this.lanes.map((l) => l.done));
    }
  }

  /** Hands `event` to every matching lane, in lane order; returns a promise only when a lane queue is full. */
  propagate(event: IngressEvent): Promise<void> | undefined {
    const lanes = this.route(event.profile);
    for (let i = 0; i < lanes.length; i++) {
      const waiting = (lanes[i] as Lane).offer(event);
      if (waiting) return waiting.then(() => this.#offerFrom(lanes, i + 1, event));
    }
    return undefined;
  }

  /** Lanes whose acct profile name matches `profile`. */
  route(profile: string): Lane[] {
    let lanes = this.#routes.get(profile);
    if (lanes) return lanes;
    lanes = this.lanes.filter((lane) => this.#matches(profile, lane.ctx.profile));
    if (lanes.length === 0) this.#spec.log.debug('evbus: no acct profile matches this event profile; its events are dropped', { profile });
    if (this.#routes.size >= ROUTES_MAX) this.#routes.clear();
    this.#routes.set(profile, lanes);
    return lanes;
  }

  async #offerFrom(lanes: Lane[], from: number, event: IngressEvent): Promise<void> {
    for (let i = from; i < lanes.length; i++) await (lanes[i] as Lane).offer(event);
  }

  #matches(profile: string, pattern: string): boolean {
    try {
      return Boolean(this.#spec.match(profile, pattern));
    } catch (err) {
      this.#spec.log.error('evbus: match plugin failed; treating as no match', { profile, pattern, error: describeError(err) });
      return false;
    }
  }
}

function isStop(item: BusItem): item is StopMarker {
  return (item as StopMarker).stop === true;
}
