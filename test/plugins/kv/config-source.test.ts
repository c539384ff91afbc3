/**
 * kv as a config source: hub.pop.config.load(names, { kv }) layers the store between the config file and the
 * environment, and a reload rebuilds hub.OPT before the store's onReload callbacks run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hub, createMemoryLogger } from '../../../src/index.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { watchedStore } from '../../helpers/kv.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const root = fixture('config-host');

describe('hub.pop.config.load with { kv }', () => {
  it('precedence: defaults < config file < kv < environment < flags', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tspop-kvconf-')), 'config.yaml');
    writeFileSync(file, 'my_app:\n  port: 1000\n  name: from-file\n  mode: safe\n');
    const hub = await Hub.create({ root, logger: createMemoryLogger() });
    const s = await watchedStore({ hub, backend: 'memory', data: { 'my_app/port': '3000', 'my_app/name': 'from-kv', 'queue_config': '{}' } });

    await hub.pop.config.load(['my_app'], { cli: 'my_app', argv: ['--config', file], env: {}, kv: s.kv });
    expect(hub.OPT.my_app).toMatchObject({ port: 3000, name: 'from-kv', mode: 'safe' });

    const withEnv = await Hub.create({ root, logger: createMemoryLogger() });
    await withEnv.pop.config.load(['my_app'], { cli: 'my_app', argv: ['--name', 'from-cli'], env: { MYAPP_PORT: '4000' }, kv: s.kv });
    expect(withEnv.OPT.my_app).toMatchObject({ port: 4000, name: 'from-cli' });
    await withEnv.close();
    await hub.close();
  });

  it('a reload builds a new frozen hub.OPT before onReload callbacks run; a value that does not fit keeps the old one', async () => {
    const log = createMemoryLogger();
    const hub = await Hub.create({ root, logger: log });
    const s = await watchedStore({ hub, backend: 'memory', data: { 'my_app/port': '3000' } });
    const seenPorts: unknown[] = [];
    s.kv.onReload(() => void seenPorts.push(hub.OPT.my_app.port));
    await hub.pop.config.load(['my_app'], { env: {}, kv: s.kv });
    const before = hub.OPT;

    hub.kv.memory.put('my_app/port', '3001');
    await waitFor(() => seenPorts.includes(3001), 'the callback to see the new port');
    expect(hub.OPT).not.toBe(before);
    expect(Object.isFrozen(hub.OPT.my_app)).toBe(true);

    hub.kv.memory.put('my_app/port', 'not-a-port');
    await waitFor(() => log.records.some((r) => r.msg.startsWith('config: the kv store')), 'the bad value to be logged');
    expect(hub.OPT.my_app.port).toBe(3001);
    await hub.close();
  });
});
