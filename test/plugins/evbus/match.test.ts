import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvbusMatchError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import { evbusHub } from '../../helpers/evbus.ts';

let hub: Hub;
beforeAll(async () => {
  ({ hub } = await evbusHub());
});
afterAll(() => hub.close());

// [event profile, acct profile name, Python fnmatch.fnmatchcase(name, pattern)] — computed with CPython 3
const GLOB: Array<[string, string, boolean]> = [
  ['default', 'default', true], ['default', 'def*', true], ['default', '*', true], ['default', 'd?fault', true],
  ['default', 'D*', false], ['a.b', 'a.*', true], ['ab', 'a[bc]', true], ['ad', 'a[bc]', false],
  ['ad', 'a[!bc]', true], ['ab', 'a[!bc]', false], ['a-', 'a[a-]', true], ['a]', 'a[]]', true], ['a', 'a[]', false],
  ['a[', 'a[', true], ['a[b', 'a[b', true], ['x', '[z-a]', false], ['x', '[!z-a]', true], ['a\\', 'a\\', true],
  ['a.b', 'a?b', true], ['a/b', 'a*', true], ['a\nb', 'a*b', true], ['abc', 'a**c', true], ['a^', 'a[^]', true],
  ['ab', 'a[^b]', true], ['a^', 'a[!^]', false], ['.hidden', '*', true], ['(x)', '(x)', true], ['x+', 'x+', true],
  ['xx', 'x+', false], ['a$', 'a$', true], ['b', '[a-c]', true], ['-', '[a-c]', false], ['é', '?', true], ['😀', '?', true],
];

describe('evbus match plugins', () => {
  it.each(GLOB)('glob: %j against %j is %s (as Python fnmatch)', (name, pattern, expected) => {
    expect(hub.evbus.match.glob.find(name, pattern)).toBe(expected);
  });

  it('regex: the pattern must match the whole profile (re.fullmatch)', () => {
    const find = hub.evbus.match.regex.find;
    expect(find('app.12', 'app\\.\\d+')).toBe(true);
    expect(find('app.12x', 'app\\.\\d+')).toBe(false);
    expect(find('xapp.1', 'app\\.\\d+')).toBe(false);
    expect(find('a', 'a|b')).toBe(true);
    expect(find('ab', 'a|b')).toBe(false);
    expect(() => find('x', 'bad(')).toThrow(SyntaxError);
  });

  it('init.find delegates to hub.evbus.match.PLUGIN (glob by default)', () => {
    expect(hub.evbus.match.PLUGIN).toBe('glob');
    expect(hub.evbus.match.init.find('default', 'def*')).toBe(true);
    hub.evbus.match.PLUGIN = 'regex';
    expect(hub.evbus.match.init.find('default', 'def.*')).toBe(true);
    hub.evbus.match.PLUGIN = 'nope';
    expect(() => hub.evbus.match.init.find('a', 'a')).toThrow(EvbusMatchError);
    hub.evbus.match.PLUGIN = 'glob';
  });
});
