import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { plainYaml } from '../../acct/_plain-yaml.ts';
import { renderProfiles } from '../../acct/_yaml.ts';
import { manyProfiles } from './many-profiles.ts';

/** What `acct decrypt` printed before plainYaml existed, and prints whenever plainYaml says no. */
const viaYaml = (data: Record<string, unknown>): string => stringify(data, { lineWidth: 0, version: '1.1' });

/** plainYaml either declines or writes yaml's bytes: the one property that makes it safe to use. */
function same(data: Record<string, unknown>): boolean {
  const fast = plainYaml(data);
  if (fast !== undefined) expect(fast).toBe(viaYaml(data));
  expect(renderProfiles(data, 'yaml')).toBe(Object.keys(data).length === 0 ? '{}\n' : viaYaml(data));
  return fast !== undefined;
}

/** Characters around which YAML's quoting rules turn: indicators, spaces, breaks, quotes, digits, odd Unicode. */
const EDGY = [
  'a', 'Z', '_', '/', '0', '1', '9', 'x', 'e', 'E', 'y', 'Y', 'n', 'N', 'o', 'O', 's', 'l', 'u', 'f', 't', 'r',
  ' ', '\t', '\n', '\r', ':', '#', '-', '?', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`',
  '.', '+', '~', '=', '<', '\\', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', 'é', '\u2028', '\u2029',
  '\ufeff', '\ud800', '😀', '中',
];
const edgyString = fc.string({ unit: fc.constantFrom(...EDGY), maxLength: 8 });
/** Strings that a real profile holds (hosts, users, URLs, passwords with spaces and symbols). */
const plainish = fc.stringMatching(/^[A-Za-z_/][\w .:/@#+=%&*!?,~$^()[\]{}'-]{0,30}$/);
const TRICKY = [
  '', ' ', 'yes', 'Yes', 'YES', 'yEs', 'y', 'Y', 'n', 'N', 'no', 'NO', 'on', 'On', 'oN', 'off', 'OFF', 'true', 'True', 'tRUE',
  'false', 'null', 'Null', 'NULL', 'nULL', '~', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#a', '- a', '-', '?', '? a', '-a',
  '1', '0777', '0x1F', '0b101', '1_000', '1:20', '190:20:30', '1.5', '1e3', '.inf', '-.inf', '.nan', '.NaN', '2001-12-14',
  '2001-12-14t21:59:43.10-05:00', '---', '...', '...a', '--- a', '<<', '=', "it's", 'say "hi"', `both ' and "`, 'a\\b',
  'é', 'x\u2028y', 'line\nbreak', 'two\n\nbreaks', 'tab\there', 'trail ', ' lead', 'a\u0085b', '\ufeffbom', '😀', 'a'.repeat(1100),
  'amqp://guest:guest@localhost:5672/', '10.0.0.1', 'db1.internal', '@at', '`tick', '%pct', '!bang', '&amp', '*star',
  '|pipe', '>gt', "'sq", '"dq', '[a]', '{a}', 'a,b', 'a [b]', 'true1', 'nullx', 'Yes please', 'a'.repeat(40) + ' :x',
];
const anyString = fc.oneof(edgyString, plainish, fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 12 }));
const scalar = fc.oneof(
  anyString,
  fc.integer(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, -Number.MAX_SAFE_INTEGER, 2 ** 64, 1e21, NaN, Infinity, -Infinity),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 40 }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(anyString, tie('tree'), { maxKeys: 4 }),
}));
const document = fc.dictionary(anyString, tree, { minKeys: 1, maxKeys: 5 });

describe('plainYaml: acct decrypt without loading yaml, byte for byte what yaml.stringify writes', () => {
  it('generated documents of every value shape: yaml bytes or undefined', () => {
    let fast = 0;
    fc.assert(fc.property(document, (data) => void (same(data) && fast++)), { numRuns: 3000 });
    // the comparison is not vacuous: a good part of the documents went the fast way
    expect(fast).toBeGreaterThan(100);
  });

  it('profiles of plain-looking values: yaml bytes, and plainYaml writes nearly all of them', () => {
    const value = fc.oneof(plainish, fc.integer(), fc.boolean(), fc.constant(null));
    const { node } = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, value, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 3 }),
      map: fc.dictionary(plainish, tie('node'), { maxKeys: 3 }),
    }));
    let fast = 0;
    let runs = 0;
    fc.assert(fc.property(fc.dictionary(plainish, node, { minKeys: 1, maxKeys: 4 }), (data) => void (runs++, same(data) && fast++)), { numRuns: 2000 });
    expect(fast / runs).toBeGreaterThan(0.5);
  });

  it('every string of one or two edge characters, as a value and as a key', () => {
    const strings = EDGY.flatMap((a) => ['', ...EDGY].map((b) => a + b));
    for (const s of strings) {
      same({ k: s });
      same({ [s]: 'v' });
      same({ list: [s, { [s]: s }] });
    }
  });

  it('every string of three characters from the ones that matter most', () => {
    const few = ['a', 'e', 'E', '0', '1', ' ', ':', '#', '-', '.', 'x', '_', '+', '"', "'", '\\', '\u2028', '%', '?', 't', 'n', 'y', '~', '<', '\n'];
    for (const a of few) for (const b of few) for (const c of few) same({ [a + b + c]: a + b + c, l: [c + b + a] });
  });

  it('the tricky strings, numbers-as-strings, null, booleans, nesting, lists, empty collections and binary', () => {
    for (const s of TRICKY) {
      same({ k: s });
      same({ [s]: 1 });
    }
    const shapes: Record<string, unknown>[] = [
      { amqp: { default: { host: 'localhost', port: 5672, password: 'p@ss w0rd!', ssl: true, vhost: null } }, default: 'default' },
      { a: { b: { c: { d: 'deep' } } }, e: {}, f: [], g: [[]], h: [{}], i: [[1, 2], ['x']], j: [{ k: 'v', l: [1, { m: null }] }] },
      { port: '5672', id: '007', octal: '0777', yes: 'no', on: 'off', t: 'true', n: 'null', empty: '', space: ' ' },
      { bytes: new Uint8Array([0, 1, 2, 250]), float: 1.5, big: 2 ** 60, neg: -3, negZero: -0 },
      { multi: 'line one\nline two\n', tabbed: 'a\tb', quoted: 'say "hi"', single: "it's", both: `'"` },
      { 'acct-backends': { vault: { url: 'https://vault:8200', token: 's.abc' } }, 'key with space': 'v', 'k:colon': 'v' },
    ];
    for (const s of shapes) same(s);
    expect(plainYaml(shapes[0] as Record<string, unknown>)).toBe('amqp:\n  default:\n    host: localhost\n    port: 5672\n    password: p@ss w0rd!\n    ssl: true\n    vhost: null\ndefault: default\n');
  });

  it('an object used twice or a cycle is left to yaml (it writes anchors and aliases)', () => {
    const shared = { host: 'h' };
    expect(plainYaml({ a: shared, b: shared })).toBeUndefined();
    same({ a: shared, b: shared });
    const list = ['x'];
    expect(plainYaml({ a: list, b: [list] })).toBeUndefined();
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(plainYaml(cyclic)).toBeUndefined();
  });

  it('writes the big-file shape of issue 7 itself', () => {
    const data = manyProfiles(2000);
    expect(plainYaml(data)).toBe(viaYaml(data));
  });
});
