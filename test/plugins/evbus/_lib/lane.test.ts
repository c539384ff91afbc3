import { describe, expect, it } from 'vitest';
import { Lane } from '../../../../plugins/evbus/_lib/lane.ts';
import { backoffDelay } from '../../../../src/backoff.ts';
import type { IngressEvent } from '../../../../plugins/evbus/_lib/types.ts';

const ev = (seq: number) => ({ seq, raw: seq }) as unknown as IngressEvent;
const ctx = { acct: {}, provider: 'p', profile: 'x' };

describe('Lane', () => {
  it('with concurrency 1, each publish finishes before the next starts', async () => {
    const log: string[] = [];
    const lane = new Lane({
      plugin: 't', ctx, concurrency: 1,
      publish: async (_c, e) => {
        log.push(`start ${e.seq}`);
        await new Promise((r) => setTimeout(r, 3 - e.seq));
        log.push(`end ${e.seq}`);
      },
    }, 10, () => undefined);
    for (const i of [1, 2, 3]) await lane.offer(ev(i));
    lane.end();
    await lane.done;
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('with concurrency N, calls start in order and at most N are in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const lane = new Lane({
      plugin: 't', ctx, concurrency: 3,
      publish: async (_c, e) => {
        started.push(e.seq);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      },
    }, 100, () => undefined);
    for (let i = 0; i < 20; i++) await lane.offer(ev(i));
    lane.end();
    await lane.done;
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('reports sync throws and rejections and keeps going', async () => {
    const failures: Array<[number, string]> = [];
    const lane = new Lane({
      plugin: 't', ctx, concurrency: 2,
      publish: (_c, e) => {
        if (e.seq === 1) throw new Error('sync');
        if (e.seq === 2) return Promise.reject(new Error('async'));
        return undefined;
      },
    }, 10, (_l, e, err) => failures.push([e.seq, (err as Error).message]));
    for (const i of [1, 2, 3]) await lane.offer(ev(i));
    lane.end();
    await lane.done;
    expect(failures).toEqual([[1, 'sync'], [2, 'async']]);
  });
});

describe('backoffDelay', () => {
  it('doubles from min, caps at max, jitters within ±20% and never leaves [min, max]', () => {
    expect(backoffDelay(0, 100, 3000, () => 0.5)).toBe(100);
    expect(backoffDelay(3, 100, 3000, () => 0.5)).toBe(800);
    expect(backoffDelay(10, 100, 3000, () => 0.5)).toBe(3000);
    expect(backoffDelay(10, 100, 3000, () => 1)).toBe(3000);
    expect(backoffDelay(3, 100, 3000, () => 0)).toBe(640);
    expect(backoffDelay(0, 100, 3000, () => 0)).toBe(100);
    expect(backoffDelay(1000, 100, 3000, () => 0.3)).toBeLessThanOrEqual(3000);
  });
});
