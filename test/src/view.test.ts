import { describe, it, expect } from 'vitest';
import { Hub, HubReadonlyError } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

async function refsHub() {
  const hub = await Hub.create({ root: fixture('refs') });
  await hub.pop.sub.add({ staticDir: 'top' });
  await hub.pop.sub.loadSubdirs(hub.top, { recurse: true });
  return hub;
}

describe('hub._, hub.__ and hub.___ inside a plugin', () => {
  it('are this module, this sub, and the parent (the hub itself for a top-level sub)', async () => {
    const hub = await refsHub();

    const [mod, sub, parent] = hub.top.where.here();
    expect(mod).toBe(hub.top.where);
    expect(sub).toBe(hub.top);
    expect(parent).toBe(hub);
  });

  it('work in nested subs: ___ is the parent sub', async () => {
    const hub = await refsHub();

    const [mod, sub, parent] = hub.top.mid.bottom.where.here();

    expect(mod).toBe(hub.top.mid.bottom.where);
    expect(sub).toBe(hub.top.mid.bottom);
    expect(parent).toBe(hub.top.mid);
  });

  it('work in helper functions the plugin calls, in its file or in a `_` file (pop cannot do this)', async () => {
    const hub = await refsHub();

    for (const result of [hub.top.where.viaHelper(), hub.top.where.viaUtil()]) {
      expect(result[0]).toBe(hub.top.where);
      expect(result[1]).toBe(hub.top);
    }
    const [mod, sub, parent] = hub.top.mid.where.viaHelper();
    expect([mod === hub.top.mid.where, sub === hub.top.mid, parent === hub.top]).toEqual([true, true, true]);
  });

  it('survive await and callbacks', async () => {
    const hub = await refsHub();

    const [mod, sub, parent] = await hub.top.where.later();

    expect([mod === hub.top.where, sub === hub.top, parent === hub]).toEqual([true, true, true]);
  });

  it('work in __init__', async () => {
    const hub = await refsHub();

    const [mod, sub, parent] = hub.top.INIT_SAW;

    expect([mod === hub.top.init, sub === hub.top, parent === hub]).toEqual([true, true, true]);
  });

  it('are undefined outside plugins', async () => {
    const hub = await refsHub();

    expect([hub._, hub.__, hub.___]).toEqual([undefined, undefined, undefined]);
  });
});

describe('the hub a plugin sees', () => {
  it('sets new top-level state on the real hub, for every plugin to read (pop: hub.CPING = True)', async () => {
    const hub = await refsHub();

    hub.top.writes.addHubMember();

    expect(hub.newProp).toBe(1);
    expect(hub.top.writes.readHubMember()).toBe(1);
  });

  it('cannot replace a sub: TSPOP_ERR_HUB_READONLY, from a plugin or from outside', async () => {
    const hub = await refsHub();
    const top = hub.top;

    expect(() => hub.top.writes.replaceSub()).toThrow(HubReadonlyError);
    expect(() => {
      hub.top = {};
    }).toThrow(HubReadonlyError);
    expect(hub.top).toBe(top);
  });

  it('a run of underscores climbs that many levels: module, sub, parent, grandparent, then the hub', async () => {
    const hub = await refsHub();
    await hub.pop.sub.loadSubdirs(hub.top, { recurse: true });

    const [one, two, three, four, five, six] = hub.top.mid.deep.climb.levels();

    expect(one).toBe(hub.top.mid.deep.climb);
    expect(two).toBe(hub.top.mid.deep);
    expect(three).toBe(hub.top.mid);
    expect(four).toBe(hub.top);
    expect(five).toBe(hub);
    expect(six).toBe(hub);
  });

  it('cannot replace hub.OPT: TSPOP_ERR_HUB_READONLY', async () => {
    const hub = await refsHub();

    expect(() => hub.top.writes.replaceOpt()).toThrow(HubReadonlyError);
  });

  it('keeps plugin state on subs and modules, visible to everyone', async () => {
    const hub = await refsHub();

    hub.top.writes.keepState();
    expect(hub.top.writes.keepState()).toBe(2);

    expect(hub.top.COUNT).toBe(2);
    expect(hub.top.writes.LAST).toBe(2);
  });
});
