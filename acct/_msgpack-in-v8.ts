/**
 * Big acct files are decoded by V8 itself: the msgpack bytes are rewritten, value for value, into V8's own
 * serialization format (what `v8.serialize` writes), and `v8.deserialize` builds the profiles. For input this big
 * V8 allocates what it builds straight in the old generation, so the young-generation collections that copied
 * every profile msgpackr had built (one per decode of 20,000 profiles, ~11 ms of its ~25 ms) no longer happen:
 * the rewrite is ~4 ms once V8 has compiled it, the whole decode ~0.7x msgpackr's time (test/bench/acct.bench.ts).
 * _file-format.ts decides when it is used (V8_DECODE_VALUES: many values, and not a process's first big file).
 *
 * The bytes come from vetMsgpack, so they are one well-formed value of what an acct file may hold. What V8's
 * format would read differently from msgpackr is declined (DECLINED) for msgpackr to decode: bin values (msgpackr
 * gives copies in Uint8Arrays) and a map that repeats a key (v8.deserialize refuses it). The rewrite holds the
 * profiles' secrets, so it is zeroed as soon as V8 has read it. Helpers only: the loader skips `_` files.
 */
import { isAscii } from 'node:buffer';
import { deserialize } from 'node:v8';

/** decodeInV8 could not take these bytes: decode them the other way. */
export const DECLINED: unique symbol = Symbol('declined');

// V8's tags (v8/src/objects/value-serializer.cc); the format version is Node 20's, which every later V8 reads.
const HEADER = [0xff, 0x0f];
const ONE_BYTE_STRING = 0x22; // '"' latin-1 chars
const UTF8_STRING = 0x53; // 'S'
const INT32 = 0x49; // 'I' zigzag varint
const DOUBLE = 0x4e; // 'N'
const NULL = 0x30;
const TRUE = 0x54;
const FALSE = 0x46;
const BEGIN_OBJECT = 0x6f; // 'o' ... '{' count
const END_OBJECT = 0x7b;
const BEGIN_ARRAY = 0x41; // 'A' length ... '$' 0 length
const END_ARRAY = 0x24;

/**
 * Strings up to this long are copied byte by byte, checked for ASCII on the way; longer ones by memcpy. ASCII goes
 * as latin-1, which V8 copies as it is: its UTF-8 reader is ~2x slower (1 MiB of profiles with 128-character
 * tokens: 3.3 ms against 1.6 ms to deserialize).
 */
const SHORT_STRING = 256;

const EMPTY = new Uint8Array(0);
let src: Uint8Array = EMPTY;
let view: DataView = new DataView(EMPTY.buffer);
let at = 0;
let out = new Uint8Array(0);
let to = 0;
let declined = false;
const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

/** Kept (zeroed) between calls up to this size: fresh megabytes each time cost page faults. */
const KEEP_SPARE = 32 << 20;
let spare = new Uint8Array(0);

/** The value of the msgpack `bytes` (vetted), or DECLINED. */
export function decodeInV8(bytes: Uint8Array): unknown {
  src = bytes;
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  at = 0;
  declined = false;
  out = spare.length >= bytes.length + 64 ? spare : new Uint8Array(bytes.length + (bytes.length >> 2) + 64);
  to = 0;
  try {
    for (const b of HEADER) out[to++] = b;
    value();
    if (declined) return DECLINED;
    try {
      return deserialize(out.subarray(0, to));
    } catch {
      return DECLINED;
    }
  } finally {
    out.fill(0, 0, to);
    if (out.length <= KEEP_SPARE && out.length > spare.length) spare = out;
    out = new Uint8Array(0);
    src = EMPTY;
    view = new DataView(EMPTY.buffer);
  }
}

function room(n: number): void {
  if (to + n <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, to + n));
  bigger.set(out.subarray(0, to));
  out.fill(0, 0, to);
  out = bigger;
}

function varint(n: number): void {
  while (n >= 0x80) {
    out[to++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[to++] = n;
}

function value(): void {
  const t = src[at++] as number;
  if (t < 0x80) return int(t);
  if (t >= 0xe0) return int(t - 0x100);
  if (t < 0x90) return map(t & 0x0f);
  if (t < 0xa0) return array(t & 0x0f);
  if (t < 0xc0) return string(t & 0x1f);
  switch (t) {
    case 0xc0: room(1); out[to++] = NULL; return;
    case 0xc2: room(1); out[to++] = FALSE; return;
    case 0xc3: room(1); out[to++] = TRUE; return;
    case 0xcc: return int(src[at++] as number);
    case 0xcd: return int(read(2, view.getUint16(at)));
    case 0xce: return number(read(4, view.getUint32(at)));
    case 0xcf: return number(read(8, view.getUint32(at) * 0x100000000 + view.getUint32(at + 4)));
    case 0xd0: return int(read(1, view.getInt8(at)));
    case 0xd1: return int(read(2, view.getInt16(at)));
    case 0xd2: return int(read(4, view.getInt32(at)));
    // as msgpackr's int64AsType 'number' computes it (one rounding, the same double)
    case 0xd3: return number(read(8, view.getInt32(at) * 0x100000000 + view.getUint32(at + 4)));
    case 0xca: return number(read(4, view.getFloat32(at)));
    case 0xcb: return number(read(8, view.getFloat64(at)));
    case 0xd9: return string(read(1, src[at] as number));
    case 0xda: return string(read(2, view.getUint16(at)));
    case 0xdb: return string(read(4, view.getUint32(at)));
    case 0xdc: return array(read(2, view.getUint16(at)));
    case 0xdd: return array(read(4, view.getUint32(at)));
    case 0xde: return map(read(2, view.getUint16(at)));
    case 0xdf: return map(read(4, view.getUint32(at)));
    default:
      // bin (and anything vetMsgpack would have refused)
      declined = true;
      at = src.length;
  }
}

/** `v`, after stepping over the `n` bytes it was read from. */
function read(n: number, v: number): number {
  at += n;
  return v;
}

function int(v: number): void {
  room(6);
  out[to++] = INT32;
  varint(((v << 1) ^ (v >> 31)) >>> 0);
}

function number(v: number): void {
  if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0)) return int(v);
  room(9);
  out[to++] = DOUBLE;
  float[0] = v;
  for (let i = 0; i < 8; i++) out[to++] = floatBytes[i] as number;
}

function string(len: number): void {
  room(len + 6);
  const tag = to++;
  varint(len);
  const end = at + len;
  if (len <= SHORT_STRING) {
    let high = 0;
    for (let i = at; i < end; i++) high |= out[to++] = src[i] as number;
    out[tag] = high < 0x80 ? ONE_BYTE_STRING : UTF8_STRING;
  } else {
    const bytes = src.subarray(at, end);
    out.set(bytes, to);
    to += len;
    out[tag] = isAscii(bytes) ? ONE_BYTE_STRING : UTF8_STRING;
  }
  at = end;
}

function map(count: number): void {
  room(1);
  out[to++] = BEGIN_OBJECT;
  // a key is a str, or a number (all vetMsgpack lets through besides), which V8 names as JavaScript does: String(n)
  for (let i = 0; i < count && !declined; i++) {
    value();
    value();
  }
  room(6);
  out[to++] = END_OBJECT;
  varint(count);
}

function array(length: number): void {
  room(6);
  out[to++] = BEGIN_ARRAY;
  varint(length);
  for (let i = 0; i < length && !declined; i++) value();
  room(12);
  out[to++] = END_ARRAY;
  varint(0);
  varint(length);
}
