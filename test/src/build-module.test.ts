import { describe, it, expect } from 'vitest';
import { Hub, ModReservedNameError } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { META } from '../../src/meta.ts';
import { functionParams } from '../../src/function-params.ts';

const root = fixture('exports');

async function hubWith(options: Record<string, unknown> = {}) {
  const hub = await Hub.create({ root });
  await hub.pop.sub.add({ staticDir: 'mods', ...options });
  return hub;
}

describe('what a plugin file exposes', () => {
  it('its own exported functions, with the hub injected', async () => {
    const hub = await hubWith();

    expect(hub.mods.things.own()).toBe('helped things');
    expect(hub.mods.things.arrow(1)).toBe(2);
  });

  it('not functions it imported or re-exported, and not `_private` names', async () => {
    const hub = await hubWith();

    expect(hub.mods.things.readFileSync).toBeUndefined();
    expect(hub.mods.things.helper).toBeUndefined();
    expect(hub.mods.things.basename).toBeUndefined();
    expect(hub.mods.things.starred).toBeUndefined();
    expect(hub.mods.things._private).toBeUndefined();
    expect(hub.mods.things._SECRET_TABLE).toBeUndefined();
  });

  it('not `_` files: they are helpers, not plugins', async () => {
    const hub = await hubWith();

    expect(hub.mods._shared).toBeUndefined();
    expect([...hub.mods].map((m) => m.name)).toEqual(['things']);
  });

  it('its module variables, as the same objects (plugin state)', async () => {
    const hub = await hubWith();

    expect(hub.mods.things.LIMIT).toBe(10);
    hub.mods.things.hit();
    hub.mods.things.hit();
    expect(hub.mods.things.STATE).toEqual({ hits: 2 });
  });

  it('__func_alias__ renames functions on the hub', async () => {
    const hub = await hubWith();

    expect(hub.mods.things.list()).toEqual(['a', 'b']);
    expect(hub.mods.things.delete('k')).toBe('deleted k');
    expect(hub.mods.things.list_).toBeUndefined();
  });

  it('a function named like a module member (`name`, `then`) fails its module: TSPOP_ERR_MOD_RESERVED_NAME', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'reserved' });

    expect(() => hub.reserved.names_a_function_name).toThrow(ModReservedNameError);
    expect(hub.reserved.fine.ok()).toBe('ok');
  });
});

describe('sub options that filter names', () => {
  it('omitStart hides names with another prefix instead of `_`', async () => {
    const hub = await hubWith({ omitStart: 'internal' });

    expect(hub.mods.things.internalReset).toBeUndefined();
    expect(hub.mods.things.own).toBeTypeOf('function');
  });

  it('omitEnd hides names with a suffix', async () => {
    const hub = await hubWith({ omitEnd: 'Sync' });

    expect(hub.mods.things.loadSync).toBeUndefined();
    expect(hub.mods.things.own).toBeTypeOf('function');
  });

  it('omitFunc exposes no functions or variables, only the module', async () => {
    const hub = await hubWith({ omitFunc: true });

    expect(hub.mods.things.name).toBe('things');
    expect([...hub.mods.things]).toEqual([]);
    expect(hub.mods.things.LIMIT).toBeUndefined();
  });
});

describe('class plugins', () => {
  async function classHub() {
    const hub = await Hub.create({ root: fixture('classes') });
    await hub.pop.sub.add({ staticDir: 'mods', subname: 'greet' });
    return hub;
  }

  it('a default-exported @injectable class gets the module’s hub through @inject(HUB); its methods are the functions', async () => {
    const hub = await classHub();

    expect(hub.greet.greeter.hello('ann')).toBe('hello ann from greeter');
    expect(hub.greet.greeter.hello('bob')).toBe('hello bob from greeter');
    expect(hub.greet.greeter.count()).toBe(2);
    expect(hub.greet.plain.ping()).toBe('pong');
  });

  it('a method\'s parameters are the method\'s own (tspop tree shows hello(name), not hello())', async () => {
    const hub = await classHub();
    const rec = hub.greet.greeter[META].functions.get('hello');

    expect(functionParams(rec?.raw as never)).toEqual(['name']);
  });

  it('methods keep `this` when passed around', async () => {
    const hub = await classHub();
    const { hello, count } = hub.greet.greeter;

    hello('ann');

    expect(count()).toBe(1);
  });

  it('`_` methods and getters are not functions of the module (getters do not even run)', async () => {
    const hub = await classHub();

    expect(hub.pop.sub.failures(hub.greet)).toEqual([]);
    expect(hub.greet.greeter._internal).toBeUndefined();
    expect(hub.greet.greeter.described).toBeUndefined();
    expect([...hub.greet.greeter].map((f) => f.name)).toEqual(['count', 'hello']);
  });
});
