import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EvbusIngressInvalidError, EvbusMatchError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import type { EvbusPublishError, IngressEvent } from '../../../plugins/evbus/_lib/types.ts';
import { evbusHub, internalBodies, type MemoryLogger } from '../../helpers/evbus.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

/** Starts the bus with `opts`, puts `events` as [body, profile] pairs, stops (drained). */
async function runWith(h: Hub, opts: Record<string, unknown>, events: Array<[unknown, string]>): Promise<void> {
  const running = h.evbus.init.start(opts);
  await h.evbus.init.join();
  for (const [body, profile] of events) await h.evbus.broker.put(body, { profile });
  await h.evbus.init.stop();
  await running;
}

describe('evbus fan-out', () => {
  it('acct profile names are glob patterns matched against the event profile', async () => {
    ({ hub } = await evbusHub());
    const contexts = { internal: { 'app.*': { routing_key: 'app' }, db: { routing_key: 'db' }, 'd?': { routing_key: 'short' } } };
    await runWith(hub, { contexts }, [[1, 'app.web'], [2, 'db'], [3, 'other'], [4, 'app.worker'], [5, 'dx']]);
    expect(internalBodies(hub, 'app')).toEqual([1, 4]);
    expect(internalBodies(hub, 'db')).toEqual([2]);
    expect(internalBodies(hub, 'short')).toEqual([2, 5]); // `d?` matches db too
    expect(internalBodies(hub, '')).toEqual([]); // an internal profile is configured: no `*` default
  });

  it('the internal ingress gets a `*` profile when none is configured', async () => {
    ({ hub } = await evbusHub());
    await runWith(hub, { contexts: { other: { x: {} } } }, [['a', 'default'], ['b', 'anything']]);
    expect(internalBodies(hub)).toEqual(['a', 'b']);
  });

  it('the `*` tap is off by default once any other ingress profile is configured (it would hold every event in memory)', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    await runWith(hub, { contexts: { recorder: { default: {} } } }, [['a', 'default']]);
    expect(hub.ingress.recorder.SEEN).toHaveLength(1);
    expect(internalBodies(hub)).toEqual([]);
  });

  it('internalDefault: false turns the `*` profile off', async () => {
    ({ hub } = await evbusHub());
    await runWith(hub, { internalDefault: false }, [['a', 'default']]);
    expect(internalBodies(hub)).toEqual([]);
  });

  it('the regex match plugin needs the whole profile to match', async () => {
    ({ hub } = await evbusHub());
    const contexts = { internal: { 'app\\.\\d+': { routing_key: 'num' } } };
    await runWith(hub, { contexts, matchPlugin: 'regex' }, [[1, 'app.12'], [2, 'app.12x'], [3, 'xapp.1']]);
    expect(internalBodies(hub, 'num')).toEqual([1]);
  });

  it('an invalid regex profile name fails start with TSPOP_ERR_EVBUS_MATCH naming the profile', async () => {
    ({ hub } = await evbusHub());
    const err = await hub.evbus.init.start({ contexts: { internal: { 'bad(': {} } }, matchPlugin: 'regex' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusMatchError);
    expect((err as Error).message).toContain('"bad("');
  });

  it('pop-evbus contexts (lists of one-profile mappings, match_plugin key) are accepted', async () => {
    ({ hub } = await evbusHub());
    const contexts = { match_plugin: 'regex', internal: [{ 'a.+': { routing_key: 'a' } }, { b: { routing_key: 'b' } }] };
    await runWith(hub, { contexts }, [[1, 'abc'], [2, 'b'], [3, 'a']]);
    expect(internalBodies(hub, 'a')).toEqual([1]);
    expect(internalBodies(hub, 'b')).toEqual([2]);
  });

  it('ingressProfiles limits which acct profiles are used (the internal tap is exempt)', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    const contexts = { recorder: { default: {}, audit: {} } };
    await runWith(hub, { contexts, ingressProfiles: ['audit'], internalDefault: true }, [['x', 'default'], ['y', 'audit']]);
    expect(hub.ingress.recorder.SEEN.map((s: { profile: string; event: IngressEvent }) => [s.profile, s.event.raw])).toEqual([['audit', 'y']]);
    expect(internalBodies(hub)).toEqual(['x', 'y']);
  });

  it('one event reaches every matching profile of every plugin serving the provider', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    const contexts = { recorder: { '*': {}, 'default': {} }, shared: { 'def*': {} } };
    await runWith(hub, { contexts }, [['e', 'default']]);
    const seen = hub.ingress.recorder.SEEN.map((s: { provider: string; profile: string }) => `${s.provider}/${s.profile}`).sort();
    expect(seen).toEqual(['recorder/*', 'recorder/default', 'shared/def*']);
  });

  it('each profile gets events in put order even when publishes are slow; a slow profile does not hold up others', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    const contexts = { recorder: { slow: { delay: 20 } } };
    const running = hub.evbus.init.start({ contexts, internalDefault: true });
    await hub.evbus.init.join();
    for (let i = 0; i < 5; i++) await hub.evbus.broker.put(i, { profile: 'slow' });
    await new Promise((r) => setTimeout(r, 10));
    expect(internalBodies(hub)).toEqual([0, 1, 2, 3, 4]); // internal did not wait for the slow lane
    await hub.evbus.init.stop();
    await running;
    expect(hub.ingress.recorder.SEEN.map((s: { event: IngressEvent }) => s.event.raw)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failing publish never stops the bus: logged with plugin and profile, never the credentials; the error callback gets each failure', async () => {
    let log: MemoryLogger;
    ({ hub, log } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    await hub.pop.sub.add({ staticDir: `${fixtures}evbus-callbacks`, subname: 'cb' });
    const contexts = { failing: { default: { username: 'svc', password: 'hunter2-secret' } } };
    await runWith(hub, { contexts, errorCallbackRef: 'cb.errors.record', internalDefault: true }, [[1, 'default'], [2, 'default'], [3, 'default']]);
    expect(internalBodies(hub)).toEqual([1, 2, 3]);
    const reports: EvbusPublishError[] = hub.cb.errors.REPORTS;
    expect(reports.map((r) => [r.plugin, r.profile, r.body])).toEqual([['failing', 'default', '1'], ['failing', 'default', '2'], ['failing', 'default', '3']]);
    expect(reports.map((r) => (r.error as Error).message)).toEqual(['refused event 1', 'rejected event 2', 'refused event 3']);
    expect(reports[0]).toMatchObject({ provider: 'failing', acctProfile: 'default' });
    const errors = log.records.filter((r) => r.level === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]?.fields).toMatchObject({ plugin: 'failing', provider: 'failing', profile: 'default', eventProfile: 'default', error: 'refused event 1' });
    expect(JSON.stringify(log.records)).not.toContain('hunter2');
    expect(JSON.stringify(reports.map((r) => ({ ...r, event: undefined })))).not.toContain('hunter2');
  });

  it('error_callback_ref and queue_size come from hub.OPT.evbus (here: a --config file)', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-ingress` });
    await hub.pop.sub.add({ staticDir: `${fixtures}evbus-callbacks`, subname: 'cb' });
    const dir = mkdtempSync(join(tmpdir(), 'evbus-conf-'));
    const file = join(dir, 'evbus.yml');
    writeFileSync(file, 'evbus:\n  error_callback_ref: cb.errors.record\n  queue_size: 7\n');
    await hub.pop.config.load(['evbus'], { env: {}, cli: 'evbus-test', argv: ['--config', file] });
    await runWith(hub, { contexts: { failing: { p: {} } } }, [[2, 'p']]);
    expect(hub.evbus.BUS.capacity).toBe(7);
    expect(hub.cb.errors.REPORTS).toHaveLength(1);
    rmSync(dir, { recursive: true });
  });

  it('a dropped-in ingress plugin without ACCT fails start with TSPOP_ERR_EVBUS_INGRESS_INVALID', async () => {
    ({ hub } = await evbusHub());
    await hub.pop.sub.extend(hub.ingress, { staticDir: `${fixtures}evbus-bad-ingress` });
    const err = await hub.evbus.init.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusIngressInvalidError);
    expect((err as Error).message).toContain('noacct.ts');
  });
});
