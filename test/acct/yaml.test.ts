import { describe, expect, it } from 'vitest';
import { AcctFormatError, AcctYamlError } from '../../acct/_errors.ts';
import { parseAcctYaml, renderProfiles } from '../../acct/_yaml.ts';
import { caught } from '../helpers/fixtures.ts';

describe('parseAcctYaml', () => {
  it('reads scalars as PyYAML safe_load does (YAML 1.1, PyYAML booleans)', () => {
    const text = [
      'p:', '  d:', '    a: yes', '    b: Off', '    c: 0777', '    d: 0x1f', '    e: 1:30', '    f: ~',
      '    y: 2', '    n: x', '    s: "quoted"', '    v: 2.5', '    date: 2024-01-31',
      'base: &base {host: h, port: 1}', 'merged:', '  p:', '    <<: *base', '    port: 2',
    ].join('\n');
    expect(parseAcctYaml(text, 'f.yml')).toEqual({
      p: { d: { a: true, b: false, c: 511, d: 31, e: 90, f: null, y: 2, n: 'x', s: 'quoted', v: 2.5, date: '2024-01-31' } },
      base: { host: 'h', port: 1 },
      merged: { p: { host: 'h', port: 2 } },
    });
  });

  it('keeps mapping keys as written: on/no/1.0 name fields, they are not booleans or numbers', () => {
    expect(parseAcctYaml('on: yes\nno: 1\n1.0: x\n0x10: z\n', 'f.yml')).toEqual({ on: true, no: 1, '1.0': 'x', '0x10': 'z' });
  });

  it('reads an empty or comment-only document as {}', () => {
    expect(parseAcctYaml('', 'f.yml')).toEqual({});
    expect(parseAcctYaml('# nothing\n', 'f.yml')).toEqual({});
  });

  it.each([
    ['an unclosed flow list', 'a:\n  b: [1, 2\n', 3, 1],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n', 3, 1],
    ['a compact nested map', 'a:\n  password: s3cret: x\n', 2, 13],
    ['a tab indent', 'a:\n\tpassword: s3cret\n', 2, 1],
  ])('reports %s with file, line and column, never the source text', (_name, text, line, col) => {
    const err = caught(() => parseAcctYaml(text, '/x/creds.yml'));
    expect(err).toBeInstanceOf(AcctYamlError);
    expect(err.message).toMatch(/^\/x\/creds\.yml: YAML syntax error at line \d+, column \d+: /);
    expect(err.message).toContain(`line ${line}, column ${col}`);
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toMatch(/\n/);
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a string', 'hello\n'],
    ['a __proto__ key', 'a:\n  __proto__: {x: 1}\n'],
  ])('rejects %s as the document with AcctFormatError', (_name, text) => {
    expect(caught(() => parseAcctYaml(text, 'f.yml'))).toBeInstanceOf(AcctFormatError);
  });

  it('refuses alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => {
      const prev = i === 0 ? 'a' : `l${i - 1}`;
      return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
    })].join('\n');
    expect(caught(() => parseAcctYaml(bomb, 'f.yml'))).toBeInstanceOf(AcctYamlError);
  });
});

describe('renderProfiles', () => {
  it('prints YAML that reads back the same, without folding long tokens', () => {
    const data = { svc: { default: { token: 'x'.repeat(300), on: 'yes', n: 1, l: [true] } }, default: 'default' };
    const yaml = renderProfiles(data, 'yaml');
    expect(yaml).toContain('x'.repeat(300));
    expect(parseAcctYaml(yaml, 'out.yml')).toEqual(data);
    expect(renderProfiles({}, 'yaml')).toBe('{}\n');
  });

  it('prints indented JSON, bytes as base64', () => {
    expect(renderProfiles({ a: { b: { c: new Uint8Array([104, 105]) } } }, 'json')).toBe('{\n  "a": {\n    "b": {\n      "c": "aGk="\n    }\n  }\n}\n');
  });
});
