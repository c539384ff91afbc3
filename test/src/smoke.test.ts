import { describe, it, expect } from 'vitest';
import { Hub } from '../../src/index.ts';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('../fixtures/basic/', import.meta.url));

describe('smoke', () => {
  it('adds a static sub', async () => {
    const hub = await Hub.create({ root: fixture });
    await hub.pop.sub.add({ staticDir: 'mods' });
    expect(hub.mods.test.ping(3)).toBe(3);
    expect(hub.mods.test.ping(99)).toBe(100);
    await expect(hub.mods.test.aping(4)).resolves.toBe(4);
    expect(hub.mods.test.readFileSync).toBeUndefined();
    expect(hub.mods.test.basename).toBeUndefined();
    expect(hub.mods.test._hidden).toBeUndefined();
    expect(hub.mods.test.notAFunction).toBe(42);
    expect(hub.mods.alias.list()).toEqual(['a']);
    expect(hub.mods.ORDER).toEqual(['init', 'alias']);
    expect(hub.mods_alias).toBe(hub.mods);
    expect(() => hub.mods.bad_virtual).toThrow(/frobnicator/);
    const [m, s, p] = hub.mods.test.here();
    expect(m).toBe(hub.mods.test);
    expect(s).toBe(hub.mods);
    expect(p).toBe(hub); // a top-level sub's parent is the hub
    await hub.pop.sub.loadSubdirs(hub.mods, { recurse: true });
    expect(hub.mods.nest.deeper.bottom.ok()).toBe('bottom');
    expect(hub.mods.nest.inner.where()).toEqual([hub.mods.nest, hub.mods]);
    expect([...hub.mods].map((x: { name: string }) => x.name)).toEqual(['alias', 'init', 'test']);
  });
});
