/**
 * A dripline service on the real RabbitMQ, driven through hub.dripline's client and monitor: each test file
 * has its own vhost, each service a unique name.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Hub } from '../../../src/index.ts';
import { DriplineBrokerError, DriplineConfigError, DriplineTimeoutError, DriplineUnroutableError } from '../../../plugins/dripline/_errors.ts';
import { MemoryValueStore } from '../../../plugins/dripline/_lib/value-store.ts';
import type { DriplineReply } from '../../../plugins/dripline/_lib/message.ts';
import type { Seen } from '../../../plugins/dripline/_lib/message-monitor.ts';
import { createVhost, deleteVhost, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { itWith, requireService } from '../../helpers/services.ts';
import { driplineHub, uniqueName } from '../../helpers/dripline.ts';
import { fixture } from '../../helpers/fixtures.ts';

const it = itWith('rabbitmq');
const { available } = requireService('rabbitmq');

let hub: Hub;
let vhost: string;
const mesh = () => ({ broker: '127.0.0.1', mesh: { vhost }, userMesh: false });

beforeAll(async () => {
  if (!available) return;
  vhost = await createVhost();
  ({ hub } = await driplineHub());
});
afterAll(async () => {
  if (!available) return;
  await hub.close();
  await deleteVhost(vhost);
});

function storeConfig(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    heartbeat_interval_s: 0,
    endpoints: [
      { name: `${name}_peaches`, module: 'kv_store', calibration: '2*{}', initial_value: 0.75, get_on_set: true, log_on_set: true },
      { name: `${name}_count`, module: 'counter', module_path: fixture('dripline', 'counter-endpoint.ts') },
      { name: `${name}_raw`, module: 'kv_store' },
    ],
    ...extra,
  };
}

/** Collects what a monitor sees until `until` holds (or the timeout). */
async function watch(opts: { exchange?: string; keys: string[] }, act: () => Promise<unknown>, until: (seen: Seen[]) => boolean, ms = 10_000): Promise<Seen[]> {
  const seen: Seen[] = [];
  let wake = () => undefined as void;
  const mon = await hub.dripline.monitor.open({ ...mesh(), ...opts }, (s: Seen) => {
    seen.push(s);
    wake();
  });
  try {
    await act();
    const deadline = Date.now() + ms;
    while (!until(seen) && Date.now() < deadline) await new Promise<void>((r) => ((wake = r), setTimeout(r, 100)));
    return seen;
  } finally {
    await mon.stop();
  }
}

// the broker is shared with other test runs on this machine, which may restart it: a test that met the outage runs again
describe('a dripline service on RabbitMQ', { retry: 2 }, () => {
  it('answers get, set, attribute and command requests over the wire, and keeps serving after errors', async () => {
    const name = uniqueName('svc');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    const client = await hub.dripline.client.open(mesh());
    try {
      expect(await client.request(`${name}_peaches`, 'get')).toMatchObject({ type: 'reply', returnCode: 0, payload: { value_raw: 0.75, value_cal: 1.5 } });
      expect((await client.request(`${name}_peaches`, 'set', { payload: { values: [2] } })).payload).toEqual({ value_raw: 2, value_cal: 4 });
      expect((await client.request(`${name}_peaches`, 'get', { specifier: 'calibration' })).payload).toEqual({ values: ['2*{}'] });
      expect((await client.request(`${name}_peaches`, 'set')).returnCode).toBe(303);
      expect((await client.request(`${name}_peaches`, 'get', { specifier: 'nope' })).returnCode).toBe(310);
      expect((await client.request(`${name}_peaches`, 'cmd', { specifier: 'nope' })).returnCode).toBe(306);
      expect(await client.request(`${name}_count`, 'cmd', { specifier: 'explode' })).toMatchObject({ returnCode: 999, returnMessage: 'the endpoint blew up' });
      expect((await client.request(`${name}_count`, 'cmd', { specifier: 'add', payload: { values: [4], times: 2 } })).payload).toEqual({ count: 8 });
      expect((await client.request(name, 'cmd', { specifier: 'ping' })).returnCode).toBe(0);
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('binds <name>.#, broadcast.# and <endpoint>.# (plus -k keys) on an exclusive auto-delete queue named after the service', async () => {
    const name = uniqueName('bind');
    const svc = await hub.dripline.service.start(storeConfig(name), { ...mesh(), keys: [`extra_${name}.#`] });
    const client = await hub.dripline.client.open(mesh());
    try {
      expect(svc.service.bindingKeys()).toEqual([`${name}.#`, 'broadcast.#', `${name}_peaches.#`, `${name}_count.#`, `${name}_raw.#`, `extra_${name}.#`]);
      const replies = await client.requestAll('broadcast.ping', 'cmd', { specifier: 'ping', timeoutMs: 1500 });
      expect(replies.map((r: DriplineReply) => r.senderInfo.service_name)).toContain(name);
      // the extra key reaches the service, which has no endpoint of that name
      expect((await client.request(`extra_${name}`, 'get')).returnCode).toBe(102);
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('lockout over the wire: lock, 307 without the key, is-locked, unlock', async () => {
    const name = uniqueName('lock');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    const client = await hub.dripline.client.open(mesh());
    try {
      const { payload } = await client.request(name, 'cmd', { specifier: 'lock' });
      const key = (payload as { key: string }).key;
      expect((await client.request(`${name}_peaches`, 'set', { payload: { values: [1] } })).returnCode).toBe(307);
      expect((await client.request(`${name}_peaches`, 'get', { specifier: 'is-locked' })).payload).toMatchObject({ is_locked: true });
      expect((await client.request(`${name}_peaches`, 'set', { payload: { values: [1] }, lockoutKey: key })).returnCode).toBe(0);
      expect((await client.request(name, 'cmd', { specifier: 'unlock', lockoutKey: key })).returnCode).toBe(0);
      expect((await client.request(`${name}_peaches`, 'set', { payload: { values: [1] } })).returnCode).toBe(0);
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('sends heartbeats to heartbeat.<name> every heartbeat_interval_s', async () => {
    const name = uniqueName('beat');
    let svc: Awaited<ReturnType<typeof hub.dripline.service.start>> | undefined;
    const seen = await watch({ keys: [`heartbeat.${name}`] }, async () => {
      svc = await hub.dripline.service.start(storeConfig(name, { heartbeat_interval_s: 0.3 }), mesh());
    }, (s) => s.length >= 2);
    await svc?.stop();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]?.routingKey).toBe(`heartbeat.${name}`);
    expect(seen[0]?.decoded.message).toMatchObject({ type: 'alert', payload: { name, id: svc?.service.id } });
  });

  it('log_on_set sends the new value as an alert to sensor_value.<endpoint>', async () => {
    const name = uniqueName('log');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    const client = await hub.dripline.client.open(mesh());
    try {
      const seen = await watch({ keys: ['sensor_value.#'] }, () => client.request(`${name}_peaches`, 'set', { payload: { values: [0.62] } }), (s) => s.length >= 1);
      expect(seen[0]?.routingKey).toBe(`sensor_value.${name}_peaches`);
      expect(seen[0]?.decoded.message?.payload).toEqual({ value_raw: 0.62, value_cal: 1.24 });
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('a payload larger than one chunk travels both ways (request and reply split and reassembled)', async () => {
    const name = uniqueName('big');
    const svc = await hub.dripline.service.start(storeConfig(name, { dripline_mesh: { max_payload_size: 1000 } }), mesh());
    const client = await hub.dripline.client.open({ ...mesh(), mesh: { vhost, max_payload_size: 1000 } });
    try {
      const big = Array.from({ length: 2000 }, (_, i) => `item-${i}-é`);
      const seen = await watch({ exchange: 'requests', keys: [`${name}_raw`] }, () => client.request(`${name}_raw`, 'set', { payload: { values: [big] } }), (s) => s.length >= 1);
      expect(seen[0]?.decoded.message?.payload).toEqual({ values: [big] });
      const reply = await client.request(`${name}_raw`, 'get');
      expect(reply.returnCode).toBe(0);
      expect((reply.payload as { value_raw: string[] }).value_raw).toEqual(big);
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('client errors: unroutable is 403, no reply in time 404, an unreachable broker 101', async () => {
    const name = uniqueName('err');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    const client = await hub.dripline.client.open(mesh());
    try {
      await expect(client.request(`nobody_${name}`, 'get')).rejects.toThrow(DriplineUnroutableError);
      await expect(client.request(`${name}_count`, 'cmd', { specifier: 'sleep', payload: { values: [1500] }, timeoutMs: 300 })).rejects.toThrow(DriplineTimeoutError);
      // the late reply is dropped, and the next request gets its own
      expect((await client.request(`${name}_count`, 'get')).returnCode).toBe(0);
    } finally {
      await client.close();
      await svc.stop();
    }
    await expect(hub.dripline.client.open({ broker: '127.0.0.1:1', userMesh: false, connectAttempts: 2 })).rejects.toThrow(DriplineBrokerError);
  });

  it('after the broker cuts every connection, the service re-declares its queue and bindings and answers again', async () => {
    const name = uniqueName('cut');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    const client = await hub.dripline.client.open(mesh());
    try {
      await client.request(`${name}_peaches`, 'set', { payload: { values: [5] } });
      await rabbitmqctl('close_all_connections', '-p', vhost, 'dripline outage test');
      // requests in flight when the exclusive queue went with the connection are lost (404); later ones are answered
      let reply;
      const deadline = Date.now() + 20_000;
      while (!reply && Date.now() < deadline) {
        reply = await client.request(`${name}_peaches`, 'get', { timeoutMs: 1000 }).catch(() => undefined);
      }
      expect(reply?.payload).toEqual({ value_raw: 5, value_cal: 10 });
    } finally {
      await client.close();
      await svc.stop();
    }
  });

  it('with a value store, kv_store values survive a service restart', async () => {
    const name = uniqueName('keep');
    const store = new MemoryValueStore();
    const first = await hub.dripline.service.start(storeConfig(name), { ...mesh(), store });
    const client = await hub.dripline.client.open(mesh());
    try {
      await client.request(`${name}_peaches`, 'set', { payload: { values: [3.5] } });
      await first.stop();
      const second = await hub.dripline.service.start(storeConfig(name), { ...mesh(), store });
      expect((await client.request(`${name}_peaches`, 'get')).payload).toEqual({ value_raw: 3.5, value_cal: 7 });
      await second.stop();
      const fresh = await hub.dripline.service.start(storeConfig(name), mesh());
      expect((await client.request(`${name}_peaches`, 'get')).payload).toEqual({ value_raw: 0.75, value_cal: 1.5 });
      await fresh.stop();
    } finally {
      await client.close();
    }
  });

  it('two services with one name on one hub: the second is refused, the first keeps serving', async () => {
    const name = uniqueName('dup');
    const svc = await hub.dripline.service.start(storeConfig(name), mesh());
    await expect(hub.dripline.service.start(storeConfig(name), mesh())).rejects.toThrow(DriplineConfigError);
    const client = await hub.dripline.client.open(mesh());
    expect((await client.request(`${name}_peaches`, 'get')).returnCode).toBe(0);
    await client.close();
    await svc.stop();
  });
});
