/**
 * The Consul backend. The suite runs against the Consul KV emulator in test/helpers/consul-emulator.ts, and
 * against a real agent too when CONSUL_HTTP_ADDR is set (with CONSUL_HTTP_TOKEN when its ACLs need one). Tests
 * that drive the emulator's failure modes (tombstone reaping, index 0, the agent going away) run on it only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvUnreachableError } from '../../../src/index.ts';
import { ConsulEmulator, ConsulHttp, parseWait } from '../../helpers/consul-emulator.ts';
import { uniquePrefix, watchedStore } from '../../helpers/kv.ts';
import { waitFor } from '../../helpers/wait-for.ts';

interface Target {
  readonly name: string;
  readonly http: ConsulHttp;
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  stop(): Promise<void>;
}

async function emulatorTarget(): Promise<Target & { emulator: ConsulEmulator }> {
  const emulator = await new ConsulEmulator().start();
  return { name: 'the Consul emulator', emulator, http: new ConsulHttp(emulator.url), host: '127.0.0.1', port: emulator.port, token: undefined, stop: () => emulator.close() };
}

function agentTarget(addr: string): Target {
  const url = new URL(/^https?:\/\//.test(addr) ? addr : `http://${addr}`);
  const token = process.env.CONSUL_HTTP_TOKEN || undefined;
  return { name: `the Consul agent at ${url.host}`, http: new ConsulHttp(url.origin, token), host: url.hostname, port: Number(url.port || 8500), token, stop: async () => undefined };
}

const targets: (() => Promise<Target>)[] = [emulatorTarget];
if (process.env.CONSUL_HTTP_ADDR) targets.push(async () => agentTarget(process.env.CONSUL_HTTP_ADDR as string));

for (const makeTarget of targets) {
  describe(`kv consul backend (${makeTarget === emulatorTarget ? 'emulator' : 'real agent'})`, () => {
    let t: Target;
    beforeAll(async () => {
      t = await makeTarget();
    });
    afterAll(async () => t?.stop());
    const store = (prefix: string, extra: Record<string, unknown> = {}) =>
      watchedStore({ consulHost: t.host, consulPort: t.port, consulToken: t.token, kvPrefix: prefix, ...extra });

    it('a put reaches onReload(old, new); values round-trip through base64, JSON values parsed', async () => {
      const p = uniquePrefix('consul-put');
      await t.http.put(`${p}greeting`, 'grüße, 世界');
      await t.http.put(`${p}queue_config`, JSON.stringify({ queue_config: [{ name: 'jobs', type: 'consumer' }] }));
      const s = await store(p);

      expect(s.reloads[0]?.old).toBeUndefined();
      expect(await s.kv.get('greeting')).toBe('grüße, 世界');
      expect(await s.kv.get('queue_config')).toEqual({ queue_config: [{ name: 'jobs', type: 'consumer' }] });
      await t.http.put(`${p}rabbit/host`, 'rabbit-9');
      const r = await s.reloadWhere((c) => (c.rabbit as { host?: string } | undefined)?.host === 'rabbit-9', 'the put');
      expect(r.old).not.toHaveProperty('rabbit');
      await s.kv.close();
    });

    it('reads recursively under its prefix only; a delete removes the key', async () => {
      const p = uniquePrefix('consul-del');
      const other = uniquePrefix('consul-other');
      await t.http.put(`${p}a`, '1');
      await t.http.put(`${p}b`, '2');
      await t.http.put(`${other}a`, 'not mine');
      const s = await store(p);

      expect(await s.kv.getDict()).toEqual({ a: '1', b: '2' });
      await t.http.delete(`${p}a`);
      await s.reloadWhere((c) => !('a' in c), 'the delete');
      expect(await s.kv.getDict()).toEqual({ b: '2' });
      await s.kv.close();
    });

    it('a Consul transaction of several sets gives one reload', async () => {
      const p = uniquePrefix('consul-txn');
      await t.http.put(`${p}seed`, '0');
      const s = await store(p, { debounceMs: 0 });

      await t.http.txn({ [`${p}rabbit_host`]: 'h', [`${p}rabbit_port`]: '5672' });
      await s.reloadWhere((c) => c.rabbit_host === 'h', 'the transaction');
      await s.kv.settled();

      expect(s.reloads).toHaveLength(2);
      expect(s.reloads[1]?.current).toEqual({ seed: '0', rabbit_host: 'h', rabbit_port: '5672' });
      await s.kv.close();
    });

    it('a leading slash in KV_PREFIX means the same folder (Consul keys have none)', async () => {
      const p = uniquePrefix('consul-slash');
      await t.http.put(`${p}x`, 'y');
      const s = await store(`/${p}`);
      expect(await s.kv.get('x')).toBe('y');
      await s.kv.close();
    });
  });
}

describe('the Consul emulator keeps Consul\'s KV protocol', () => {
  let emu: ConsulEmulator;
  let http: ConsulHttp;
  beforeAll(async () => {
    emu = await new ConsulEmulator().start();
    http = new ConsulHttp(emu.url);
  });
  afterAll(async () => emu?.close());

  it('values are base64 in JSON, raw with ?raw, 404 (with an index) when nothing matches', async () => {
    await http.put('proto/a', 'hello');
    const res = await http.get('proto/a');
    expect(JSON.parse(res.body)[0]).toMatchObject({ Key: 'proto/a', Value: Buffer.from('hello').toString('base64'), Flags: 0 });
    expect((await http.get('proto/a', '?raw')).body).toBe('hello');
    const missing = await http.get('proto/none');
    expect(missing.status).toBe(404);
    expect(Number(missing.index)).toBeGreaterThan(0);
  });

  it('a blocking query waits for a change, or for `wait`, and answers with the same index then', async () => {
    await http.put('block/k', '1');
    const { index } = await http.get('block/', '?recurse');
    const t0 = Date.now();
    const timedOut = await http.get('block/', `?recurse&index=${index}&wait=300ms`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(timedOut.index).toBe(index);

    const waiting = http.get('block/', `?recurse&index=${index}&wait=30s`);
    await new Promise((r) => setTimeout(r, 100));
    await http.put('block/k', '2');
    const changed = await waiting;
    expect(Number(changed.index)).toBeGreaterThan(Number(index));
    expect(parseWait('10m')).toBe(600_000);
    expect(parseWait('20m')).toBe(600_000); // Consul caps wait at 10 minutes
  });

  it('a delete moves a list index forward; reaping tombstones can move it backwards', async () => {
    await http.put('tomb/a', '1');
    await http.put('tomb/b', '2');
    const before = Number((await http.get('tomb/', '?recurse')).index);
    await http.delete('tomb/b');
    const afterDelete = Number((await http.get('tomb/', '?recurse')).index);
    expect(afterDelete).toBeGreaterThan(before);
    emu.reapTombstones();
    const afterReap = Number((await http.get('tomb/', '?recurse')).index);
    expect(afterReap).toBeLessThan(afterDelete);
  });

  it('?keys with a separator lists one level', async () => {
    await http.put('lvl/a/1', 'x');
    await http.put('lvl/a/2', 'x');
    await http.put('lvl/b', 'x');
    expect(JSON.parse((await http.get('lvl/', '?keys&separator=/')).body)).toEqual(['lvl/a/', 'lvl/b']);
  });
});

describe('kv consul backend: blocking-query rules and outages (emulator)', () => {
  it('an index that goes backwards (a snapshot restore) resets to 0 and the store keeps following', async () => {
    const t = await emulatorTarget();
    try {
      for (let i = 0; i < 5; i++) await t.http.put('reset/a', String(i));
      const s = await watchedStore({ consulHost: t.host, consulPort: t.port, kvPrefix: 'reset' });
      // restore while the store blocks (a query arriving after the restore with a higher index would block for `wait`)
      await waitFor(() => t.emulator.requests.some((r) => r.query.index !== undefined), 'the blocking query');
      const seen = t.emulator.requests.length;
      t.emulator.restore({ 'reset/a': 'restored' }, 2);

      await s.reloadWhere((c) => c.a === 'restored', 'the restored value');
      expect(t.emulator.requests.slice(seen).some((r) => r.query.index === undefined || r.query.index === '0')).toBe(true);
      await t.http.put('reset/c', '3');
      await s.reloadWhere((c) => c.c === '3', 'a change after the reset');
      await s.kv.close();
    } finally {
      await t.stop();
    }
  });

  it('an index of 0 from a buggy agent does not make the store spin', async () => {
    const t = await emulatorTarget();
    try {
      await t.http.put('zero/a', '1');
      const s = await watchedStore({ consulHost: t.host, consulPort: t.port, kvPrefix: 'zero' });
      t.emulator.zeroIndex = true;
      await t.http.put('zero/a', '2'); // wakes the blocking query, which now answers index 0
      await s.reloadWhere((c) => c.a === '2', 'the change');
      const from = t.emulator.requests.length;
      await new Promise((r) => setTimeout(r, 1000));

      // 0 is lower than the last index, so it resets (a plain read), then 1 (the sanity floor): spaced, never spinning
      expect(t.emulator.requests.length - from).toBeLessThanOrEqual(25);
      await t.http.put('zero/a', '3');
      await s.reloadWhere((c) => c.a === '3', 'a change while the agent answers index 0');
      await s.kv.close();
    } finally {
      await t.stop();
    }
  });

  it('the agent goes away: last config kept, outage logged once and its end once, changes resume', async () => {
    const t = await emulatorTarget();
    try {
      await t.http.put('gone/a', '1');
      const s = await watchedStore({ consulHost: t.host, consulPort: t.port, kvPrefix: 'gone' });
      await t.emulator.pause();
      await waitFor(() => s.logged('kv: the store is unreachable').length === 1, 'the outage to be logged');
      await new Promise((r) => setTimeout(r, 1500)); // several failed attempts

      expect(s.logged('kv: the store is unreachable')).toHaveLength(1);
      expect(await s.kv.get('a')).toBe('1');
      expect(s.reloads).toHaveLength(1);
      await t.emulator.resume();
      await t.http.put('gone/a', '2');
      await s.reloadWhere((c) => c.a === '2', 'the change after the agent came back');
      expect(s.logged('kv: the store answers again')).toHaveLength(1);
      await s.kv.close();
    } finally {
      await t.stop();
    }
  });

  it('with ACLs on, the token comes from CONSUL_HTTP_TOKEN; without it the store is refused', async () => {
    const t = await emulatorTarget();
    try {
      t.emulator.token = 's3cret';
      const refused = watchedStore({ consulHost: t.host, consulPort: t.port, kvPrefix: 'acl', backend: 'consul', env: {}, connectTimeoutMs: 2000 });
      await expect(refused).rejects.toBeInstanceOf(KvUnreachableError);

      await new ConsulHttp(t.emulator.url, 's3cret').put('acl/k', 'v');
      const s = await watchedStore({ consulHost: t.host, consulPort: t.port, kvPrefix: 'acl', env: { CONSUL_HTTP_TOKEN: 's3cret' } });
      expect(await s.kv.get('k')).toBe('v');
      expect(t.emulator.requests.every((r) => r.query.token === undefined)).toBe(true); // sent as a header, not in the URL
      await s.kv.close();
    } finally {
      await t.stop();
    }
  });
});
