import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../src/index.ts';
import { EndpointOptions } from '../../../../plugins/dripline/_lib/endpoint-options.ts';
import type { EndpointConfig, EndpointContext } from '../../../../plugins/dripline/_lib/endpoint-types.ts';
import { createEntity } from '../../../../plugins/dripline/_lib/entity.ts';
import { returnCodeOf } from '../../../../plugins/dripline/_errors.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `cond` (timers run late on a loaded machine: never assert on a fixed sleep that something happened). */
async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(10);
}

function entity(options: Record<string, unknown>, initial: unknown = 1) {
  const alerts: { key: string; payload: unknown }[] = [];
  const config: EndpointConfig = { name: 'temp', module: 'kv_store', modulePath: undefined, options, endpoints: [], where: 'test.yaml: temp' };
  const ctx: EndpointContext = {
    service: 'svc', log: createMemoryLogger(), store: undefined, children: [],
    alert: async (key, payload) => void alerts.push({ key, payload }),
  };
  let value = initial;
  const ep = createEntity(config, ctx, new EndpointOptions(config), { read: () => value, write: (v) => void (value = v) });
  return { ep, alerts, set: (v: unknown) => (value = v) };
}

async function codeOf(p: () => unknown): Promise<number | undefined> {
  try {
    await p();
  } catch (err) {
    return returnCodeOf(err);
  }
  return undefined;
}

describe('Entity logging (dripline-python\'s rules)', () => {
  it('log_interval broadcasts the get result every interval once started, to sensor_value.<name>', async () => {
    const { ep, alerts } = entity({ log_interval: 0.05, calibration: '2*{}' });
    ep.start?.();
    await waitFor(() => alerts.length >= 2);
    ep.stop?.();
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts[0]).toEqual({ key: 'sensor_value.temp', payload: { value_raw: 1, value_cal: 2 } });
    const n = alerts.length;
    await sleep(120);
    expect(alerts.length).toBe(n);
  });

  it('with max_interval, a scheduled log is sent only on a large enough change (absolute or fractional)', async () => {
    const { ep, alerts, set } = entity({ log_interval: 0.03, max_interval: 60, max_absolute_change: 0.5, max_fractional_change: 0.2 }, 10);
    ep.start?.();
    await waitFor(() => alerts.length >= 1);
    await sleep(100);
    expect(alerts).toHaveLength(1); // the first, then nothing changed
    set(10.3); // 0.3 absolute, 3%: below both
    await sleep(100);
    expect(alerts).toHaveLength(1);
    set(11); // 0.7 absolute from the last logged 10
    await waitFor(() => alerts.length >= 2);
    expect(alerts.map((a) => (a.payload as { value_raw: number }).value_raw)).toEqual([10, 11]);
    ep.stop?.();
  });

  it('logging_status switches scheduled logging on and off; on needs a log_interval (304)', async () => {
    const { ep, alerts } = entity({ log_interval: 0.03 });
    expect(ep.attributes?.logging_status?.get()).toBe('off');
    await ep.attributes?.logging_status?.set?.('on');
    expect(ep.attributes?.logging_status?.get()).toBe('on');
    await waitFor(() => alerts.length >= 1);
    await ep.attributes?.logging_status?.set?.('off');
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    const quiet = entity({});
    expect(await codeOf(() => quiet.ep.attributes?.logging_status?.set?.('on'))).toBe(304);
    expect(await codeOf(() => quiet.ep.attributes?.logging_status?.set?.('maybe'))).toBe(304);
  });

  it('log_on_set alerts the get result with get_on_set, and {value_raw} without; alert_routing_key sets the prefix', async () => {
    const a = entity({ get_on_set: true, log_on_set: true, calibration: '{}+1' });
    expect(await a.ep.on_set?.(4)).toEqual({ value_raw: 4, value_cal: 5 });
    expect(a.alerts).toEqual([{ key: 'sensor_value.temp', payload: { value_raw: 4, value_cal: 5 } }]);
    const b = entity({ log_on_set: true, alert_routing_key: 'status_value' });
    expect(await b.ep.on_set?.(7)).toBeUndefined();
    expect(b.alerts).toEqual([{ key: 'status_value.temp', payload: { value_raw: 7 } }]);
  });

  it('set_value_map and set_value_lowercase translate what a set stores (304 for an unmapped value)', async () => {
    const { ep } = entity({ set_value_map: { 1: 'OPEN', 0: 'CLOSE', on: 'OPEN' }, set_value_lowercase: true, calibration: { OPEN: 'off', CLOSE: 'on' } }, 'CLOSE');
    await ep.on_set?.('ON');
    expect(await ep.on_get?.()).toEqual({ value_raw: 'OPEN', value_cal: 'off' });
    await ep.on_set?.(0);
    expect(await ep.on_get?.()).toEqual({ value_raw: 'CLOSE', value_cal: 'on' });
    expect(await codeOf(() => ep.on_set?.('ajar'))).toBe(304);
  });
});
