import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeEach } from 'vitest';
import {
  Hub, HubClosedError, SubExistsError, SubNoDirsError, SubNotFoundError, SubOptionsError, createMemoryLogger,
} from '../../../src/index.ts';
import { CLOSED } from '../../fixtures/lifecycle/close-log.ts';
import { copyFixture, fixture, rejected, scratchDir, subPaths } from '../../helpers/fixtures.ts';

const tree = fixture('tree');

describe('hub.pop.sub.add', () => {
  it('adds a folder as a sub named after the folder (relative to the hub root)', async () => {
    const hub = await Hub.create({ root: tree });
    const sub = await hub.pop.sub.add({ staticDir: 'plugins' });

    expect(sub).toBe(hub.plugins);
    expect(hub.plugins.top.zed()).toBe('zed');
  });

  it('`subname` names the sub and `sub` nests it under another sub', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.add({ staticDir: 'extra', subname: 'more', sub: hub.plugins });

    expect(hub.plugins.more.gamma.who()).toBe('gamma');
    expect(hub.more).toBeUndefined();
    expect(subPaths(hub.pop.sub.iterSubs(hub.plugins))).toEqual(['plugins.more']);
  });

  it.each([
    ['an unknown option', { staticDir: 'plugins', recurse: true }],
    ['neither staticDir nor dyneName', { subname: 'x' }],
    ['a staticDir that does not exist', { staticDir: 'no_such_folder' }],
    ['a subname that is not an identifier', { staticDir: 'plugins', subname: 'my-sub' }],
    ['a non-boolean flag', { staticDir: 'plugins', lazy: 'yes' }],
  ])('rejects %s with TSPOP_ERR_SUB_OPTIONS', async (_what, options) => {
    const hub = await Hub.create({ root: tree });

    await expect(hub.pop.sub.add(options)).rejects.toThrow(SubOptionsError);
  });

  it('refuses a name that is taken: TSPOP_ERR_SUB_EXISTS', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    await expect(hub.pop.sub.add({ staticDir: 'extra', subname: 'plugins' })).rejects.toThrow(SubExistsError);
    await expect(hub.pop.sub.add({ staticDir: 'extra', subname: 'top', sub: hub.plugins })).rejects.toThrow(SubExistsError);
  });

  it.each(['pop', 'log', 'close', 'OPT', 'root', '_'])('refuses to hide the hub member "%s"', async (subname) => {
    const hub = await Hub.create({ root: tree });
    const before = hub[subname];

    await expect(hub.pop.sub.add({ staticDir: 'extra', subname })).rejects.toThrow(SubExistsError);
    expect(hub[subname]).toBe(before);
  });

  it('a dyne that no project declares: TSPOP_ERR_SUB_NO_DIRS', async () => {
    const hub = await Hub.create({ root: tree });

    const err = await rejected(hub.pop.sub.add({ dyneName: 'nobody_declares_this' }));

    expect(err).toBeInstanceOf(SubNoDirsError);
    expect(err.message).toContain('nobody_declares_this');
  });

  it('the dyne is declared in a conf that failed to load: the error names that conf and why', async () => {
    const root = scratchDir();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'broken-conf', type: 'module' }));
    writeFileSync(join(root, 'conf.ts'), "export const DYNE = { mine: ['plugins/mine'] ;\n");
    const hub = await Hub.create({ root });

    const err = await rejected(hub.pop.sub.add({ dyneName: 'mine' }));

    expect(err).toBeInstanceOf(SubNoDirsError);
    expect(err.message).toContain(`${join(root, 'conf.ts')} was not loaded: cannot load ${join(root, 'conf.ts')}`);
  });

  it('a closed hub takes no new subs: TSPOP_ERR_HUB_CLOSED', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.close();

    await expect(hub.pop.sub.add({ staticDir: 'plugins' })).rejects.toThrow(HubClosedError);
  });
});

describe('hub.pop.sub.loadSubdirs', () => {
  it('turns each sub-folder into a nested sub, one level', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    await hub.pop.sub.loadSubdirs(hub.plugins);

    expect(hub.plugins.a.a1.who()).toBe('a1');
    expect(hub.plugins.b.b1.who()).toBe('b1');
    expect(hub.plugins.a.x).toBeUndefined();
  });

  it('recurse: true goes all the way down', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    await hub.pop.sub.loadSubdirs(hub.plugins, { recurse: true });

    expect(hub.plugins.a.x.x1.who()).toBe('x1');
    expect(hub.plugins.b.z.z1.who()).toBe('z1');
  });

  it('skips `_private` folders and contracts folders', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    await hub.pop.sub.loadSubdirs(hub.plugins, { recurse: true });

    expect(hub.plugins._skipped).toBeUndefined();
    expect(subPaths(hub.pop.sub.iterSubs(hub.plugins))).toEqual(['plugins.a', 'plugins.b']);
  });

  it('a folder named like a module stays hidden (with a warning), in lazy subs too', async () => {
    for (const lazy of [false, true]) {
      const logger = createMemoryLogger();
      const hub = await Hub.create({ root: fixture('shadow'), logger });
      await hub.pop.sub.add({ staticDir: 'plugins', lazy });

      await hub.pop.sub.loadSubdirs(hub.plugins);
      await hub.pop.sub.load(hub.plugins);

      expect(hub.plugins.net.who()).toBe('net');
      expect([...hub.pop.sub.iterSubs(hub.plugins)]).toEqual([]);
      expect(logger.records.map((r) => r.level)).toEqual(['warn']);
    }
  });
});

describe('hub.pop.sub.iterSubs', () => {
  it('yields the top-level subs in name order (not pop)', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.add({ staticDir: 'extra' });

    expect(subPaths(hub.pop.sub.iterSubs())).toEqual(['extra', 'plugins']);
  });

  it('yields nested subs depth-first, pre-order, sorted by name', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.loadSubdirs(hub.plugins, { recurse: true });

    expect(subPaths(hub.pop.sub.iterSubs(hub.plugins))).toEqual(['plugins.a', 'plugins.b']);
    expect(subPaths(hub.pop.sub.iterSubs(hub.plugins, { recurse: true }))).toEqual([
      'plugins.a', 'plugins.a.x', 'plugins.a.y', 'plugins.b', 'plugins.b.z',
    ]);
  });

  it('lists a sub once, whatever its aliases', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.loadSubdirs(hub.plugins);

    expect(hub.plugins.bee).toBe(hub.plugins.b);
    expect(subPaths(hub.pop.sub.iterSubs(hub.plugins))).toEqual(['plugins.a', 'plugins.b']);
  });

  it('something that is not a sub: TSPOP_ERR_SUB_NOT_FOUND', async () => {
    const hub = await Hub.create({ root: tree });

    expect(() => [...hub.pop.sub.iterSubs({ recurse: true })]).toThrow(SubNotFoundError);
  });
});

describe('hub.pop.sub.remove', () => {
  beforeEach(() => {
    CLOSED.length = 0;
  });

  it('runs the sub’s __close__ hooks (nested subs first) and takes it off the hub', async () => {
    const hub = await Hub.create({ root: fixture('lifecycle') });
    await hub.pop.sub.add({ staticDir: 'second' });
    await hub.pop.sub.loadSubdirs(hub.second);

    await hub.pop.sub.remove(hub.second);

    expect(CLOSED).toEqual(['second.nested.d', 'second.c']);
    expect(hub.second).toBeUndefined();
    expect(subPaths(hub)).toEqual(['pop']);
    await hub.close();
    expect(CLOSED).toHaveLength(2);
  });

  it('takes a dotted name too, for nested subs', async () => {
    const hub = await Hub.create({ root: fixture('lifecycle') });
    await hub.pop.sub.add({ staticDir: 'second' });
    await hub.pop.sub.loadSubdirs(hub.second);

    await hub.pop.sub.remove('second.nested');

    expect(CLOSED).toEqual(['second.nested.d']);
    expect(hub.second.nested).toBeUndefined();
    expect(hub.second.c).toBeDefined();
  });

  it('an unknown sub: TSPOP_ERR_SUB_NOT_FOUND', async () => {
    const hub = await Hub.create({ root: tree });

    await expect(hub.pop.sub.remove('nope')).rejects.toThrow(SubNotFoundError);
  });
});

describe('hub.pop.sub.reload', () => {
  it('picks up a file dropped into the folder', async () => {
    const dir = copyFixture('tree', 'extra');
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'live' });
    writeFileSync(join(dir, 'delta.ts'), 'export function who(): string {\n  return "delta";\n}\n');

    expect(hub.live.delta).toBeUndefined();
    await hub.pop.sub.reload(hub.live);

    expect(hub.live.delta.who()).toBe('delta');
  });

  it('uses the new code of an edited file', async () => {
    const dir = copyFixture('tree', 'extra');
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'live' });
    expect(hub.live.gamma.who()).toBe('gamma');

    writeFileSync(join(dir, 'gamma.ts'), 'export function who(): string {\n  return "gamma v2";\n}\n');
    await hub.pop.sub.reload('live');

    expect(hub.live.gamma.who()).toBe('gamma v2');
  });

  it('forgets deleted files and fixed failures', async () => {
    const dir = copyFixture('tree', 'extra');
    writeFileSync(join(dir, 'broken.ts'), 'export function oops( {\n');
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'live' });
    expect(hub.pop.sub.failures(hub.live)).toHaveLength(1);

    writeFileSync(join(dir, 'broken.ts'), 'export function oops(): string {\n  return "fixed";\n}\n');
    await hub.pop.sub.reload(hub.live);

    expect(hub.pop.sub.failures(hub.live)).toEqual([]);
    expect(hub.live.broken.oops()).toBe('fixed');
  });

  it('closes the old modules before their new __init__ runs, so nothing leaks', async () => {
    const dir = copyFixture('tree', 'extra');
    writeFileSync(
      join(dir, 'conn.ts'),
      [
        'export function __init__(hub: any): void {',
        '  hub.__.OPEN = (hub.__.OPEN ?? 0) + 1;',
        '}',
        'export function __close__(hub: any): void {',
        '  hub.__.OPEN -= 1;',
        '}',
        '',
      ].join('\n'),
    );
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'live' });
    expect(hub.live.OPEN).toBe(1);

    await hub.pop.sub.reload(hub.live);
    expect(hub.live.OPEN).toBe(1);

    await hub.close();
    expect(hub.live.OPEN).toBe(0);
  });
});

describe('hub.pop.sub.extend and getDirs', () => {
  it('extend adds folders to a sub and reloads it; getDirs lists them in merge order', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    await hub.pop.sub.extend(hub.plugins, { staticDir: 'extra' });

    expect(hub.plugins.gamma.who()).toBe('gamma');
    expect(hub.plugins.top.zed()).toBe('zed');
    expect(hub.pop.sub.getDirs(hub.plugins)).toEqual([join(tree, 'plugins'), join(tree, 'extra')]);
  });

  it('getDirs returns a copy', async () => {
    const hub = await Hub.create({ root: tree });
    await hub.pop.sub.add({ staticDir: 'plugins' });

    hub.pop.sub.getDirs(hub.plugins).push('/elsewhere');

    expect(hub.pop.sub.getDirs(hub.plugins)).toEqual([join(tree, 'plugins')]);
  });
});

describe('hub.pop.sub guards', () => {
  it('extend with an unknown dyne fails like add does', async () => {
    const { Hub: H, SubNoDirsError } = await import('../../../src/index.ts');
    const hub = await H.create({ root: fixture('basic') });
    await hub.pop.sub.add({ staticDir: 'mods' });
    await expect(hub.pop.sub.extend(hub.mods, { dyneName: 'no_such_dyne' })).rejects.toBeInstanceOf(SubNoDirsError);
  });

  it('the core pop sub cannot be removed or reloaded', async () => {
    const { Hub: H, SubOptionsError } = await import('../../../src/index.ts');
    const hub = await H.create({ root: fixture('basic') });
    await expect(hub.pop.sub.remove('pop')).rejects.toBeInstanceOf(SubOptionsError);
    await expect(hub.pop.sub.reload(hub.pop)).rejects.toBeInstanceOf(SubOptionsError);
  });
});

describe('concurrent adds', () => {
  it('two adds of one name at once: one wins, the other is TSPOP_ERR_SUB_EXISTS', async () => {
    const { Hub: H, SubExistsError } = await import('../../../src/index.ts');
    const hub = await H.create({ root: fixture('basic') });

    const results = await Promise.allSettled([hub.pop.sub.add({ staticDir: 'mods' }), hub.pop.sub.add({ staticDir: 'mods' })]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(SubExistsError);
    expect(hub.mods.test.ping(1)).toBe(1);
  });
});
