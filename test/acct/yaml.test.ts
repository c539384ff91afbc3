import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AcctFormatError, AcctYamlError } from '../../acct/_errors.ts';
import { secretDoc } from '../helpers/yaml-secrets.ts';
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

describe('parseAcctYaml: nothing silently turns into something else', () => {
  it.each([
    ['an unknown tag', 'amqp:\n  default:\n    password: !Hunter2Secret\n', 3, 15],
    ['an unknown tag on a value', 'amqp:\n  default:\n    password: !Hunter2Secret rest\n', 3, 15],
    ['an anchor on an empty value', 'amqp:\n  default:\n    password: &Hunter2Secret\n', 3, 15],
    ['an anchor no alias uses', 'amqp:\n  default:\n    password: &Hunter2 Secret\n', 3, 15],
    ['an alias without its anchor', 'amqp:\n  default:\n    password: *Hunter2Secret\n', 3, 15],
    ['an alias before its anchor', 'a: *Hunter2Secret\nb: &Hunter2Secret x\n', 1, 4],
    ['an alias inside its own anchor', 'a: &Hunter2Secret [*Hunter2Secret]\n', 1, 20],
    ['a duplicate key among many', `p:\n${Array.from({ length: 500 }, (_, i) => `  k${i}: 1\n`).join('')}  k7: Hunter2Secret\n`, 502, 3],
  ])('refuses %s, naming line and column only', (_name, text, line, col) => {
    const err = caught(() => parseAcctYaml(text, 'creds.yml'));
    expect(err).toBeInstanceOf(AcctYamlError);
    expect(err.message).toContain(`creds.yml: YAML syntax error at line ${line}, column ${col}: `);
    expect(err.message).not.toContain('Hunter2');
  });

  it('keeps anchors and aliases that are used as intended', () => {
    expect(parseAcctYaml('a: &pw s3cret\nb: *pw\nc: &m {x: 1}\nd:\n  <<: *m\n  y: 2\n', 'f.yml')).toEqual({
      a: 's3cret', b: 's3cret', c: { x: 1 }, d: { x: 1, y: 2 },
    });
  });

  it('keeps the tags YAML defines, and quoted values that start with an indicator', () => {
    expect(parseAcctYaml('a: !!str 10\nb: "!x"\nc: \'&y\'\nd: "*z"\n', 'f.yml')).toEqual({ a: '10', b: '!x', c: '&y', d: '*z' });
  });
});

function caughtError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseAcctYaml: a secret in the document never reaches a message', () => {
  it('holds for a secret in every position that can fail to parse (property), process warnings included', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    const emit = process.emitWarning;
    // yaml reports some problems (a mapping used as a key) through process.emitWarning, which a CLI prints to stderr
    process.emitWarning = ((w: string | Error) => onWarning(typeof w === 'string' ? new Error(w) : w)) as typeof process.emitWarning;
    try {
      fc.assert(
        fc.property(secretDoc, ({ core, text }) => {
          warnings.length = 0;
          try {
            parseAcctYaml(text, 'creds.yml');
          } catch (err) {
          const e = err as Error & { cause?: unknown };
          expect(e.message).not.toContain(core);
          expect(String((e.cause as Error | undefined)?.message ?? '')).not.toContain(core);
          expect(e.message).toMatch(/^creds\.yml: /);
        }
          expect(warnings.filter((w) => w.includes(core))).toEqual([]);
        }),
        { numRuns: 3000 },
      );
    } finally {
      process.emitWarning = emit;
    }
  });

  it('refuses a mapping or list used as a key, naming line and column (yaml would stringify it, with a warning quoting it)', () => {
    const err = caughtError(() => parseAcctYaml('a:\n  ? {x: Hunter2Secret}\n  : 1\n', 'creds.yml'));

    expect(err.message).toContain('creds.yml: YAML syntax error at line 2, column 5');
    expect(err.message).not.toContain('Hunter2Secret');
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
