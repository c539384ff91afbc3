import { randomInt } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { AcctFormatError } from '../../acct/_errors.ts';
import { assertPlainData, isPlainObject, packProfiles, splitData, unpackProfiles } from '../../acct/_file-format.ts';
import { caught } from '../helpers/fixtures.ts';
import { mulberry32 } from './helpers.ts';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as Msgpackr from 'msgpackr';
import { NATIVE_DECODE_BYTES, V8_DECODE_VALUES } from '../../acct/_file-format.ts';
import { DECLINED, decodeInV8 } from '../../acct/_msgpack-in-v8.ts';
import { vetMsgpack } from '../../acct/_vet-msgpack.ts';
import { manyProfiles } from './many-profiles.ts';

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
    ['a nil key', raw(map([[0xc0], [1]]))],
    ['a list key', raw(map([[0x91, 0x01], [1]]))],
    ['a map key', raw(map([[0x80], [1]]))],
    ['a str8 __proto__ key', raw(map([[0xd9, 9, ...utf8('__proto__')], map([str('polluted'), [0xc3]])]))],
    ['a nested __proto__ key', raw(map([str('svc'), map([str('__proto__'), map([str('polluted'), [0xc3]])])]))],
    ['a str key that is not UTF-8', raw(map([[0xa1, 0xff], [1]]))],
    ['a msgpack extension (timestamp)', raw(map([str('t'), [0xd6, 0xff, 0, 0, 0, 1]]))],
    ['a msgpackr record definition', raw(map([str('r'), [0xd4, 0x72, 0x40]]))],
    ['an ext 8', raw(map([str('e'), [0xc7, 1, 5, 0x61]]))],
    ['a header cut short', raw([0x81, 0xa1, 0x61, 0xdc, 0x00])],
    ['a count larger than the data', raw([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])],
    ['a string longer than the data', raw(map([str('k'), [0xdb, 0, 0, 1, 0, 0x62, 0x63, 0x64]]))],
    ['a map missing its last value', raw([0x82, ...str('a'), 0x01, ...str('bcd')])],
    ['nesting deeper than 1024', raw([0x81, ...str('k'), ...new Array<number>(1025).fill(0x91), 0x01])],
  ])('rejects %s with AcctFormatError and no data in the message', (_name, bytes) => {
    const err = formatError(() => unpackProfiles(bytes));
    expect(err.message).not.toContain('bcd');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads number keys as their decimal text, as a JavaScript object must', () => {
    // { 1: 'a', -5: 'b', 2.5: 'c', 2**40: 'd' }: Python writes them; Python acct itself refuses them (strict_map_key)
    const bytes = raw(map([[0x01], str('a')], [[0xfb], str('b')], [[0xcb, ...new Uint8Array(new Float64Array([2.5]).buffer).reverse()], str('c')], [[0xcf, 0, 0, 1, 0, 0, 0, 0, 0], str('d')]));
    expect(unpackProfiles(bytes)).toEqual({ 1: 'a', '-5': 'b', '2.5': 'c', 1099511627776: 'd' });
  });

  it('keeps a str that is not UTF-8 as its bytes instead of replacing them with U+FFFD', () => {
    // msgpack < 1.0 packed Python bytes as str: { 'svc': { 'p': { 'key': b'\xff\xfe', 'after': 'x' } }, 'z': [b'\xc3'] }
    const inner = map([str('key'), [0xa2, 0xff, 0xfe]], [str('after'), str('x')]);
    const long = [0xd9, 40, 0xff, ...new Array<number>(39).fill(0x61)];
    const bytes = raw(map([str('svc'), map([str('p'), inner])], [str('z'), [0x92, 0xa1, 0xc3, ...long]]));
    const copy = Uint8Array.from(bytes);
    expect(unpackProfiles(bytes)).toEqual({
      svc: { p: { key: new Uint8Array([0xff, 0xfe]), after: 'x' } },
      z: [new Uint8Array([0xc3]), Uint8Array.from(long.slice(2))],
    });
    expect(bytes).toEqual(copy); // the caller's bytes are not rewritten in place
  });

  it('returns bin values as copies, so the profiles do not keep the plaintext alive', () => {
    const bytes = raw(map([str('k'), bin(new Uint8Array([0xff, 0x00]))]));
    const bin0 = unpackProfiles(bytes).k as Uint8Array;
    expect(bin0).toBeInstanceOf(Uint8Array);
    expect(bin0.buffer).not.toBe(bytes.buffer);
    expect(bin0.byteLength).toBe(bin0.buffer.byteLength);
  });

  it('keeps no reference to the plaintext once it has returned the profiles', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const unpackOne = (): { profiles: unknown; plaintext: WeakRef<ArrayBufferLike> } => {
      const bytes = packProfiles({ svc: { p: { password: 'x'.repeat(300), list: ['a'.repeat(50), 'b'.repeat(50)] } } });
      return { profiles: unpackProfiles(bytes), plaintext: new WeakRef(bytes.buffer) };
    };
    const { profiles, plaintext } = unpackOne();
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the job ends
    gc();
    expect(plaintext.deref()).toBeUndefined();
    expect(profiles).toEqual({ svc: { p: { password: 'x'.repeat(300), list: ['a'.repeat(50), 'b'.repeat(50)] } } });
  });

  it('reads maps and lists of every header size (fix, 16 and 32 bit)', () => {
    const data = {
      m15: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i])),
      m16: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i])),
      m65536: Object.fromEntries(Array.from({ length: 65536 }, (_, i) => [`k${i}`, i])),
      l15: new Array<string>(15).fill('x'),
      l65536: new Array<null>(65536).fill(null),
      s31: 'a'.repeat(31), s32: 'a'.repeat(32), s256: 'é'.repeat(128), s65536: 'b'.repeat(65536),
    };
    expect(unpackProfiles(encode(data))).toEqual(data);
  });

  it('reads nesting 1024 deep (Python packs up to 511)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1023; i++) deep = [deep];
    expect(unpackProfiles(raw([0x81, ...str('k'), ...new Array<number>(1023).fill(0x91), 0x01]))).toEqual({ k: deep });
  });
});

describe('msgpackr builds: plain JavaScript below NATIVE_DECODE_BYTES, native string extraction from there', () => {
  const load = createRequire(import.meta.url);
  const options = { useRecords: false, mapsAsObjects: true, int64AsType: 'number', copyBuffers: true } as const;
  const native = new (load('msgpackr') as typeof Msgpackr).Unpackr(options);
  const plain = new (load('msgpackr/unpack-no-eval') as typeof Msgpackr).Unpackr(options);

  it('the two read the same values from the same bytes', () => {
    expect((load('msgpackr') as typeof Msgpackr).isNativeAccelerationEnabled).toBe(true);
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', minLength: 60, maxLength: 300 }));
    const key = text.filter((k) => k !== '__proto__'); // packProfiles refuses it (see assertPlainData)
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 40 }), tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 5 }),
      map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), (data) => {
        const bytes = packProfiles(data);
        expect(plain.unpack(bytes)).toEqual(native.unpack(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('a file of 20,000 profiles (over the threshold) and a small one read back as written', () => {
    const big = manyProfiles(20_000);
    const bytes = packProfiles(big);
    expect(bytes.byteLength).toBeGreaterThan(NATIVE_DECODE_BYTES);
    // the first read of a big file goes to msgpackr, the later ones to V8: the same profiles either way
    expect(unpackProfiles(bytes)).toEqual(big);
    expect(unpackProfiles(bytes)).toEqual(big);
    expect(unpackProfiles(packProfiles(manyProfiles(10)))).toEqual(manyProfiles(10));
  });
});

describe('big files are decoded by V8 (decodeInV8): what msgpackr reads, value for value', () => {
  const load = createRequire(import.meta.url);
  const msgpackr = new (load('msgpackr') as typeof Msgpackr).Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number', copyBuffers: true });
  // numbers of every msgpack width, floats of both sizes (and -0), and int64s beyond 2^53, as raw pieces
  const f32 = (x: number) => { const b = Buffer.alloc(5); b[0] = 0xca; b.writeFloatBE(x, 1); return [...b]; };
  const u64 = (hi: number, lo: number) => { const b = Buffer.alloc(9); b[0] = 0xcf; b.writeUInt32BE(hi, 1); b.writeUInt32BE(lo, 5); return [...b]; };
  const i64 = (hi: number, lo: number) => { const b = Buffer.alloc(9); b[0] = 0xd3; b.writeInt32BE(hi, 1); b.writeUInt32BE(lo, 5); return [...b]; };

  it('random profile data, every key and value kind: the same values (bin values are left to msgpackr)', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', minLength: 60, maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 70 }));
    const key = text.filter((k) => k !== '__proto__');
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 32 + 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 20 }),
      map: fc.dictionary(key, tie('value'), { maxKeys: 20 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 20 }), (data) => {
        // as unpackProfiles hands them over: vetted (a str that is not UTF-8, e.g. a lone surrogate, becomes bin)
        const { bytes } = vetMsgpack(packProfiles(data));
        const ours = decodeInV8(bytes);
        if (ours === DECLINED) expect(bytes.some((b) => b >= 0xc4 && b <= 0xc6)).toBe(true);
        else expect(ours).toStrictEqual(msgpackr.unpack(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('number keys are named as JavaScript names them; int64, float32 and -0 read as msgpackr reads them', () => {
    const bytes = raw([
      0x88,
      0x01, ...str('a'), 0xfb, ...str('b'), 0xcb, 0x40, 0x04, 0, 0, 0, 0, 0, 0, ...str('c'), 0xcf, 0, 0, 1, 0, 0, 0, 0, 0, ...str('d'),
      ...str('f32'), ...f32(0.1), ...str('u64'), ...u64(0x001fffff, 0xffffffff), ...str('i64'), ...i64(-0x200001, 7),
      ...str('negzero'), 0xcb, 0x80, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const ours = decodeInV8(bytes);
    expect(ours).toStrictEqual(msgpackr.unpack(bytes));
    expect(Object.is((ours as Record<string, number>).negzero, -0)).toBe(true);
    expect(Object.keys(ours as object)).toEqual(Object.keys(msgpackr.unpack(bytes) as object));
    for (const [hi, lo] of [[0xffffffff, 0xffffffff], [0x00200000, 1], [0x7fffffff, 0x80000001]] as const) {
      for (const piece of [u64(hi, lo), i64(hi | 0, lo)]) expect(decodeInV8(raw(piece))).toBe(msgpackr.unpack(raw(piece)));
    }
  });

  it('declines what it would read differently: bin values and a key given twice; unpackProfiles still reads them', () => {
    const withBin = raw(map([str('k'), bin(utf8('x').map(() => 0xff))]));
    expect(decodeInV8(withBin)).toBe(DECLINED);
    const twice = raw(map([str('a'), [0x01]], [str('a'), [0x02]]));
    expect(decodeInV8(twice)).toBe(DECLINED);
    expect(msgpackr.unpack(twice)).toEqual({ a: 2 });
    // over the threshold, both come back through msgpackr
    const big = manyProfiles(12_000) as Record<string, unknown>;
    const withBigBin = { ...big, blob: { p: { key: new Uint8Array(70_000).fill(0xfe) } } };
    const bytes = packProfiles(withBigBin);
    expect(vetMsgpack(bytes).values).toBeGreaterThan(V8_DECODE_VALUES);
    expect(unpackProfiles(bytes)).toEqual(withBigBin);
    // a provider given twice (Python never writes that, another writer might): the last one wins, as before
    const plain = packProfiles(big);
    expect([plain[0], plain[1], plain[2]]).toEqual([0xde, 0, 20]);
    const twiceBig = raw([0xde, 0, 21, ...plain.subarray(3), ...str('provider_0'), ...map([str('x'), [0x01]])]);
    expect(unpackProfiles(twiceBig)).toEqual({ ...big, provider_0: { x: 1 } });
  });

  it('vetMsgpack counts the values a decoder will build, map keys included', () => {
    expect(vetMsgpack(packProfiles({ a: { b: [1, 'x', null], c: 2.5 } })).values).toBe(10);
    expect(vetMsgpack(packProfiles(manyProfiles(100))).values).toBe(20 * 2 + 100 * 10 + 1);
  });
});

describe('unpackProfiles fuzz', () => {
  it('reads 5,000 mutated files as plain data that packs back the same, or AcctFormatError, and nothing else', () => {
    const seed = Number(process.env.ACCT_FUZZ_SEED ?? randomInt(2 ** 31));
    const rand = mulberry32(seed);
    const int = (n: number): number => Math.floor(rand() * n);
    const secret = 'Hunter2Secret';
    const base = packProfiles({
      svc: { p: { password: secret, s: 'grüße 🎉', n: 300, neg: -200, f: 1.5, big: 2 ** 40, l: [1, 'a', null, true], b: new Uint8Array([0xff, 1]), e: {} } },
      other: { q: { long: 'y'.repeat(40), deep: [[[{ k: 'v' }]]] } },
      default: 'p',
    });
    // header bytes that change what follows: str, bin, map, list, nil, true, fixext, ext 8, int8, never-used
    const headers = [0xa0, 0xa9, 0xc4, 0xd9, 0x80, 0x8f, 0x90, 0xdc, 0xdf, 0xc0, 0xc3, 0xd4, 0xc7, 0xd0, 0xc1, 0xff];
    const failures: string[] = [];
    for (let tried = 1; tried <= 5_000 && failures.length < 5; tried++) {
      let bytes = Uint8Array.from(base);
      for (let n = 1 + int(3); n > 0; n--) bytes[int(bytes.length)] = rand() < 0.5 ? int(256) : (headers[int(headers.length)] as number);
      if (rand() < 0.1) bytes = bytes.subarray(0, int(bytes.length));
      try {
        const data = unpackProfiles(bytes);
        if (!isPlainObject(data)) failures.push(`#${tried} returned ${typeof data}`);
        let again: unknown;
        try {
          again = unpackProfiles(packProfiles(data));
        } catch {
          continue; // e.g. a float mutated into NaN: a value tspop refuses to write
        }
        if (JSON.stringify(again) !== JSON.stringify(data)) failures.push(`#${tried} does not pack back the same`);
      } catch (err) {
        if (!(err instanceof AcctFormatError)) failures.push(`#${tried} threw ${String(err)}`);
        else if ((err as Error).message.includes(secret)) failures.push(`#${tried} quoted the data: ${(err as Error).message}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(failures, `fuzz seed ${seed} (rerun with ACCT_FUZZ_SEED=${seed})`).toEqual([]);
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
