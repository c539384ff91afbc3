import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { AcctFormatError } from '../../acct/_errors.ts';
import { assertPlainData, packProfiles, splitData, unpackProfiles } from '../../acct/_file-format.ts';
import { caught } from '../helpers/fixtures.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

// Raw msgpack pieces, for what @msgpack/msgpack's encoder never writes (bin or bool map keys) but Python's may.
const bin = (bytes: Uint8Array) => [0xc4, bytes.length, ...bytes];
const str = (s: string) => [0xa0 | utf8(s).length, ...utf8(s)];
const map = (...pairs: number[][][]) => [0x80 | pairs.length, ...pairs.flat(2)];
const raw = (bytes: number[]) => Uint8Array.from(bytes);

function formatError(fn: () => unknown): Error {
  const err = caught(fn);
  expect(err).toBeInstanceOf(AcctFormatError);
  expect(err.code).toBe('TSPOP_ERR_ACCT_FORMAT');
  return err;
}

describe('packProfiles / unpackProfiles', () => {
  it('round-trips every kind of value an acct file holds', () => {
    const data = {
      svc: { default: { s: 'grüße 🎉', i: -3, big: 2 ** 40, f: 1.5, t: true, n: null, l: [1, 'a', [null]], bin: new Uint8Array([0, 255]) } },
      default: 'default',
    };
    expect(unpackProfiles(packProfiles(data))).toEqual(data);
  });

  it('packs strings as msgpack str (0xa0..) so Python reads str, not bytes', () => {
    expect([...packProfiles({ a: 'b' })]).toEqual([0x81, 0xa1, 0x61, 0xa1, 0x62]);
  });

  it('turns bin keys and bin values that are UTF-8 into strings (old Python files), keeps other bytes', () => {
    // { b'prov': { b'name': { 'k': b'v', 'raw': b'\xff' } } } as Python msgpack packs bytes (bin 8)
    const inner = map([str('k'), bin(utf8('v'))], [str('raw'), bin(new Uint8Array([0xff]))]);
    const bytes = raw(map([bin(utf8('prov')), map([bin(utf8('name')), inner])]));
    expect(unpackProfiles(bytes)).toEqual({ prov: { name: { k: 'v', raw: new Uint8Array([0xff]) } } });
  });

  it('reads nil (an empty Python acct file) as {}', () => {
    expect(unpackProfiles(encode(null))).toEqual({});
  });

  it.each([
    ['a list', encode([1])],
    ['a string', encode('x')],
    ['garbage', new Uint8Array([0xc1])],
    ['truncated', encode({ a: 'bcd' }).subarray(0, 3)],
    ['two values', new Uint8Array([...encode({}), ...encode({})])],
    ['a __proto__ key', raw(map([str('__proto__'), map([str('polluted'), [0xc3]])]))],
    ['a bin __proto__ key', raw(map([bin(utf8('__proto__')), map([str('polluted'), [0xc3]])]))],
    ['a bin key that is not UTF-8', raw(map([bin(new Uint8Array([0xff])), [1]]))],
    ['a boolean key', raw(map([[0xc3], [1]]))],
  ])('rejects %s with AcctFormatError and no data in the message', (_name, bytes) => {
    const err = formatError(() => unpackProfiles(bytes));
    expect(err.message).not.toContain('bcd');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('assertPlainData', () => {
  it.each([
    ['a Date', { a: { b: new Date() } }, '"a.b"'],
    ['a function', { a: () => 1 }, '"a"'],
    ['NaN', { a: [Number.NaN] }, '"a[0]"'],
    ['a Map', { a: new Map() }, '"a"'],
    ['a bigint', { a: 1n }, '"a"'],
    ['an own __proto__ key', JSON.parse('{"x": {"__proto__": 1}}'), '"x"'],
  ])('rejects %s, naming the path', (_name, data, path) => {
    expect(formatError(() => assertPlainData(data)).message).toContain(path);
  });

  it('rejects cycles but accepts shared subtrees', () => {
    const shared = { k: 1 };
    expect(() => assertPlainData({ a: shared, b: shared })).not.toThrow();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    formatError(() => assertPlainData(loop));
  });
});

describe('splitData', () => {
  it('takes default, backend_key and the backend section off the profiles', () => {
    const data = { a: { p: {} }, default: 'p', 'acct-backends': { env: { x: {} } } };
    expect(splitData(data)).toEqual({ defaultProfile: 'p', backendKey: 'acct-backends', backends: { env: { x: {} } }, profiles: { a: { p: {} } } });
    expect(splitData({ backend_key: 'bk', bk: {}, 'acct-backends': { p: {} } })).toEqual({
      defaultProfile: undefined, backendKey: 'bk', backends: {}, profiles: { 'acct-backends': { p: {} } },
    });
    expect(data).toHaveProperty('default');
  });

  it('rejects a default that is not a name and a backend section that is not a mapping', () => {
    formatError(() => splitData({ default: ['x'] }));
    formatError(() => splitData({ 'acct-backends': 'env' }));
    formatError(() => splitData({ backend_key: 1 }));
  });
});
