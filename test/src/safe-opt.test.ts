import { describe, expect, it } from 'vitest';
import { safeOpt } from '../../src/safe-opt.ts';
import { buildOptions } from '../../src/config/build-options.ts';
import { HubReadonlyError } from '../../src/errors.ts';
import { caught } from '../helpers/fixtures.ts';

describe('safeOpt', () => {
  it('is frozen all the way down and reads like the data it was made from', () => {
    const opt = safeOpt({ app: { port: 1, list: [1, { c: 2 }] } });
    expect(opt).toEqual({ app: { port: 1, list: [1, { c: 2 }] } });
    expect(Object.isFrozen(opt.app)).toBe(true);
    expect(Object.isFrozen(opt.app!.list)).toBe(true);
    expect(Array.isArray(opt.app!.list)).toBe(true);
    expect(JSON.parse(JSON.stringify(opt))).toEqual({ app: { port: 1, list: [1, { c: 2 }] } });
  });

  it.each([
    ['setting a nested option', (o: Record<string, any>) => void (o.app.port = 2), 'hub.OPT.app.port'],
    ['setting a list item', (o: Record<string, any>) => void (o.app.list[0] = 2), 'hub.OPT.app.list.0'],
    ['adding a namespace', (o: Record<string, any>) => void (o.mine = {}), 'hub.OPT.mine'],
    ['writing to a namespace nobody loaded', (o: Record<string, any>) => void (o.nope.x = 1), 'hub.OPT.nope.x'],
    ['deleting an option', (o: Record<string, any>) => void delete o.app.port, 'hub.OPT.app.port'],
    ['defining a property', (o: Record<string, any>) => void Object.defineProperty(o.app, 'x', { value: 1 }), 'hub.OPT.app.x'],
  ])('refuses %s with TSPOP_ERR_HUB_READONLY naming the path', (_name, write, path) => {
    const opt = safeOpt({ app: { port: 1, list: [1] } }) as Record<string, any>;
    const err = caught(() => write(opt));
    expect(err).toBeInstanceOf(HubReadonlyError);
    expect(err.message).toContain(path);
    expect(opt.app.port).toBe(1);
  });

  it('copes with cycles and leaves class instances and functions alone', () => {
    class Box {
      n = 1;
    }
    const fn = (): number => 1;
    const value: Record<string, unknown> = { box: new Box(), fn };
    value.self = value;
    const opt = safeOpt({ ns: value }) as Record<string, any>;
    expect(opt.ns.self.self.box).toBe(value.box);
    expect(Object.isFrozen(value.box)).toBe(false);
    expect(Object.isFrozen(fn)).toBe(false);
  });

  it('never freezes a conf default', () => {
    const list = ['a'];
    const conf = { CONFIG: { list: { default: list } }, CLI_CONFIG: {}, SUBCOMMANDS: {}, DYNE: {} };
    const r = buildOptions({ names: ['p'], projects: [{ name: 'p', root: '/x', confPath: '/x/conf.ts', conf }], env: {} });
    const opt = safeOpt(r.opt);
    expect(Object.isFrozen(opt.p!.list)).toBe(true);
    expect(Object.isFrozen(list)).toBe(false);
    expect(Object.isFrozen(r.opt.p!.list)).toBe(false);
  });
});
