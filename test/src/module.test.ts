import { describe, it, expect } from 'vitest';
import { Hub, isModule, Module } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

async function treeHub() {
  const hub = await Hub.create({ root: fixture('tree') });
  await hub.pop.sub.add({ staticDir: 'plugins' });
  return hub;
}

describe('a module', () => {
  it('iterates its functions in name order', async () => {
    const hub = await treeHub();

    expect([...hub.plugins.top].map((fn) => fn.name)).toEqual(['alpha', 'mid', 'zed']);
    expect([...hub.plugins.top].map((fn) => fn())).toEqual(['alpha', 'mid', 'zed']);
  });

  it('does not iterate its variables', async () => {
    const hub = await Hub.create({ root: fixture('exports') });
    await hub.pop.sub.add({ staticDir: 'mods' });

    expect([...hub.mods.things].map((fn) => fn.name)).toEqual(['arrow', 'delete', 'hit', 'internalReset', 'list', 'loadSync', 'own']);
  });

  it('has its name, is a Module, and says which one it is', async () => {
    const hub = await treeHub();

    expect(hub.plugins.top.name).toBe('top');
    expect(hub.plugins.top).toBeInstanceOf(Module);
    expect(isModule(hub.plugins.top)).toBe(true);
    expect(isModule(hub.plugins)).toBe(false);
    expect(Object.prototype.toString.call(hub.plugins.top)).toBe('[object Module top]');
  });

  it('is not a thenable, so `await hub.sub.mod` gives the module itself', async () => {
    const hub = await treeHub();

    expect(await hub.plugins.top).toBe(hub.plugins.top);
  });
});
