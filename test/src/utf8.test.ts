import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, invalidUtf8Offset } from '../../src/utf8.ts';

describe('invalidUtf8Offset', () => {
  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['a truncated sequence at the end', [0x61, 0x62, 0xe2, 0x82], 2],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['latin-1 text', [...Buffer.from('pass'), 0xe9, 0x74], 4],
  ])('finds %s', (_name, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('agrees with a strict decoder on random bytes, and finds nothing in valid text (property)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        const offset = invalidUtf8Offset(bytes);
        expect(offset === -1).toBe(valid);
        if (!valid) expect(() => strict.decode(bytes.subarray(0, offset))).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(invalidUtf8Offset(Buffer.from(text))).toBe(-1);
      }),
    );
  });

  it('decodeUtf8 throws the caller\'s error with the offset', () => {
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0xff]), (at) => new RangeError(`at ${at}`))).toThrow('at 1');
    expect(decodeUtf8(Buffer.from('héllo'), () => new Error('no'))).toBe('héllo');
  });
});
