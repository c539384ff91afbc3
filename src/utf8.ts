/**
 * Strict UTF-8 for files people write (acct plaintext, config files): Node's decoder silently puts U+FFFD in
 * place of bytes that are not UTF-8, which would store a password that is not the one in the file.
 */
import { isUtf8 } from 'node:buffer';

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1 when all are valid. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let i = 0; i < bytes.length; ) {
    const len = sequenceLength(bytes, i);
    if (len === 0) return i;
    i += len;
  }
  return -1;
}

/** The text of `bytes`; `invalid(offset)` makes the error thrown when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, invalid: (offset: number) => Error): string {
  const offset = invalidUtf8Offset(bytes);
  if (offset >= 0) throw invalid(offset);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Length of the well-formed sequence at `i` (RFC 3629: no overlongs, surrogates or code points past U+10FFFF), 0 if none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && (b[i + k] as number) >= lo && (b[i + k] as number) <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
