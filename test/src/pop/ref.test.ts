import { describe, it, expect } from 'vitest';
import { Hub, RefNotFoundError } from '../../../src/index.ts';
import { caught, fixture } from '../../helpers/fixtures.ts';

async function treeHub() {
  const hub = await Hub.create({ root: fixture('tree') });
  await hub.pop.sub.add({ staticDir: 'plugins' });
  await hub.pop.sub.loadSubdirs(hub.plugins, { recurse: true });
  return hub;
}

describe('hub.pop.ref', () => {
  it('last() resolves a dotted reference', async () => {
    const hub = await treeHub();

    expect(hub.pop.ref.last('plugins.a.x.x1.who')()).toBe('x1');
    expect(hub.pop.ref.last('hub.plugins.top')).toBe(hub.plugins.top);
  });

  it('path() returns every object along the way, starting with the hub', async () => {
    const hub = await treeHub();

    const path = hub.pop.ref.path('plugins.top.zed');

    expect(path).toHaveLength(4);
    expect(path[0]).toBe(hub);
    expect(path[1]).toBe(hub.plugins);
    expect(path[2]).toBe(hub.plugins.top);
    expect(path[3]).toBe(hub.plugins.top.zed);
  });

  it('create() puts a value at a reference whose parent exists', async () => {
    const hub = await treeHub();

    hub.pop.ref.create('plugins.top.LIMIT', 5);
    hub.pop.ref.create('plugins.a.CACHE', new Map([['k', 'v']]));

    expect(hub.plugins.top.LIMIT).toBe(5);
    expect(hub.pop.ref.last('plugins.a.CACHE').get('k')).toBe('v');
  });

  it('an unknown name: TSPOP_ERR_REF_NOT_FOUND, naming the missing part', async () => {
    const hub = await treeHub();

    const err = caught(() => hub.pop.ref.last('plugins.a.nope.who'));

    expect(err).toBeInstanceOf(RefNotFoundError);
    expect(err.message).toContain('"nope" not found under hub.plugins.a');
  });

  it('create() does not make missing parents', async () => {
    const hub = await treeHub();

    expect(() => hub.pop.ref.create('plugins.nope.LIMIT', 5)).toThrow(RefNotFoundError);
  });

  it.each(['', 'plugins..top', '.plugins'])('rejects the malformed reference %j', async (ref) => {
    const hub = await treeHub();

    expect(() => hub.pop.ref.last(ref)).toThrow(RefNotFoundError);
  });
});
