/**
 * What happens when a publish fails: the bus keeps going, the failure is logged with plugin and profiles (never
 * the ctx, which holds credentials), and the optional error callback gets every failure. Logging is limited to
 * one line per lane per second, with a count of the lines held back, so a broker outage cannot flood the log.
 */
import { describeError, TspopError } from '../../../src/errors.ts';
import type { Logger } from '../../../src/types.ts';
import type { Lane } from './lane.ts';
import type { EvbusPublishError, IngressEvent } from './types.ts';

export interface FailureReporter {
  (lane: Lane, event: IngressEvent, error: unknown): void;
  /** Logs the counts still held back (at the end of a run). */
  flush(): void;
  /**
   * Stop logging: the run gave up draining and its caller reports what was not delivered in one line; the error
   * callback still gets every failure.
   */
  silence(): void;
}

export function createFailureReporter(
  log: Logger,
  callback: ((report: EvbusPublishError) => unknown) | undefined,
  intervalMs = 1000,
): FailureReporter {
  const held = new Map<Lane, { last: number; suppressed: number }>();
  let silent = false;
  const fields = (lane: Lane, event: IngressEvent | undefined, error: unknown, suppressed: number) => ({
    plugin: lane.plugin,
    provider: lane.ctx.provider,
    profile: lane.ctx.profile,
    eventProfile: event?.profile,
    code: TspopError.is(error) ? error.code : undefined,
    error: error === undefined ? undefined : describeError(error),
    suppressed: suppressed || undefined,
  });

  const report = ((lane: Lane, event: IngressEvent, error: unknown) => {
    const now = Date.now();
    const h = held.get(lane) ?? { last: -Infinity, suppressed: 0 };
    held.set(lane, h);
    if (silent) {
      // counted by the caller
    } else if (now - h.last >= intervalMs) {
      log.error('evbus: event failed to publish', fields(lane, event, error, h.suppressed));
      h.last = now;
      h.suppressed = 0;
    } else {
      h.suppressed++;
    }
    if (!callback) return;
    const info: EvbusPublishError = {
      error, plugin: lane.plugin, profile: event.profile, provider: lane.ctx.provider, acctProfile: lane.ctx.profile, body: event.body, event,
    };
    try {
      const r = callback(info);
      if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') {
        (r as Promise<unknown>).then(undefined, (err: unknown) => log.error('evbus: error callback failed', { error: describeError(err) }));
      }
    } catch (err) {
      log.error('evbus: error callback failed', { error: describeError(err) });
    }
  }) as FailureReporter;

  report.silence = () => {
    silent = true;
  };
  report.flush = () => {
    for (const [lane, h] of held) {
      if (silent) break;
      if (h.suppressed > 0) log.error('evbus: more publish failures were not logged', fields(lane, undefined, undefined, h.suppressed));
    }
    held.clear();
  };
  return report;
}
