import { describe, it, expect } from 'vitest';
import { Hub, isSub, Sub } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

describe('a sub', () => {
  it('iterates its modules in name order (init included); each module has its name', async () => {
    const hub = await Hub.create({ root: fixture('loading') });
    await hub.pop.sub.add({ staticDir: 'eager' });

    expect([...hub.eager].map((mod) => mod.name)).toEqual(['alpha', 'init', 'mid', 'zeta']);
  });

  it('does not iterate nested subs or plugin state', async () => {
    const hub = await Hub.create({ root: fixture('tree') });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.loadSubdirs(hub.plugins);
    hub.plugins.STATE = { ready: true };

    expect([...hub.plugins].map((mod) => mod.name)).toEqual(['alpha', 'beta', 'top']);
  });

  it('is a Sub, and says where it sits on the hub', async () => {
    const hub = await Hub.create({ root: fixture('tree') });
    await hub.pop.sub.add({ staticDir: 'plugins' });
    await hub.pop.sub.loadSubdirs(hub.plugins, { recurse: true });

    expect(isSub(hub.plugins.a.x)).toBe(true);
    expect(hub.plugins.a.x).toBeInstanceOf(Sub);
    expect(isSub(hub.plugins.a.x.x1)).toBe(false);
    expect(Object.prototype.toString.call(hub.plugins.a.x)).toBe('[object Sub plugins.a.x]');
  });

  it('lists its modules and nested subs as its keys; failed modules stay out', async () => {
    const hub = await Hub.create({ root: fixture('loading') });
    await hub.pop.sub.add({ staticDir: 'virtual' });

    expect(Object.keys(hub.virtual).sort()).toEqual(['async_yes', 'ok']);
    expect('says_false' in hub.virtual).toBe(true);
  });
});
