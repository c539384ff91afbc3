import { describe, it, expect } from 'vitest';
import { deepFreeze } from '../../../src/config/deep-freeze.ts';
import { buildOptions } from '../../../src/config/build-options.ts';

describe('deepFreeze', () => {
  it('freezes nested plain objects and arrays, and returns its argument', () => {
    const value = { a: { b: [1, { c: 2 }] } };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
  });

  it('copes with cycles and leaves class instances and functions alone', () => {
    class Box {
      n = 1;
    }
    const fn = (): number => 1;
    const value: Record<string, unknown> = { box: new Box(), fn };
    value.self = value;
    deepFreeze(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.box)).toBe(false);
    expect(Object.isFrozen(fn)).toBe(false);
  });

  it('freezing built options never freezes a conf default', () => {
    const list = ['a'];
    const conf = { CONFIG: { list: { default: list } }, CLI_CONFIG: {}, SUBCOMMANDS: {}, DYNE: {} };
    const r = buildOptions({ names: ['p'], projects: [{ name: 'p', root: '/x', confPath: '/x/conf.ts', conf }], env: {} });
    deepFreeze(r.opt);
    expect(Object.isFrozen(r.opt.p!.list)).toBe(true);
    expect(Object.isFrozen(list)).toBe(false);
  });
});
