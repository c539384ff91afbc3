/**
 * One pass over the msgpack bytes of an acct file, before msgpackr decodes them, so that nothing needs to walk
 * the decoded profiles afterwards. It proves the bytes are exactly one msgpack value that an acct file may hold,
 * and hands back bytes on which msgpackr (plain objects for maps) builds what Python acct reads:
 *
 * - map keys are str or bin that is UTF-8 (a bin key becomes a str key), or numbers; never `__proto__` (msgpackr
 *   would quietly rename it), nil, booleans, lists or maps;
 * - a bin value that is UTF-8 becomes a str, and a str that is not UTF-8 becomes bin: old files (msgpack < 1.0,
 *   acct's raw mode) carry bytes where strings are meant, and acct's `decode_dict` decodes what it can. msgpackr
 *   would decode a bad str to U+FFFD, silently changing a secret;
 * - no extension types: neither side ever writes one, and msgpackr gives several of them meanings of its own;
 * - nesting at most 1024 deep (Python msgpack's own limit), so decoding cannot overflow the stack.
 *
 * Errors are AcctFormatError naming the byte offset and the problem, never the bytes. Helpers only: the loader
 * skips `_` files.
 */
import { isUtf8 } from 'node:buffer';
import { AcctFormatError } from './_errors.ts';

const MAX_DEPTH = 1024;

// The scan's state: vetMsgpack is synchronous and calls nothing back, so one set serves every call.
let src: Uint8Array = new Uint8Array(0);
let pos = 0;
/** A copy of `src` in which everything but str payloads is zeroed, for one UTF-8 check of all strings at once. */
let mask: Uint8Array | undefined;
/** Offsets of str/bin headers to flip (see applyFlips). */
let flips: number[] = [];
const PROTO = Buffer.from('__proto__');

/** What vetMsgpack found. */
export interface VettedMsgpack {
  /** The input itself when it needs no change (the usual case), else a rewritten copy. */
  readonly bytes: Uint8Array;
  /** How many values it holds, map keys included: how much a decoder will build. */
  readonly values: number;
}

let values = 0;

/**
 * The bytes to decode. Throws AcctFormatError when they are not one msgpack value, or hold something an acct file
 * cannot.
 */
export function vetMsgpack(bytes: Uint8Array): VettedMsgpack {
  src = bytes;
  flips = [];
  try {
    mask = scratch(bytes.length);
    mask.set(bytes);
    run();
    const allUtf8 = isUtf8(mask);
    dropMask();
    if (!allUtf8) {
      // Some str is not UTF-8: scan again checking each one (old files only).
      flips = [];
      run();
    }
    return { bytes: flips.length === 0 ? bytes : applyFlips(bytes, flips), values };
  } finally {
    dropMask();
    src = new Uint8Array(0);
  }
}

/** The mask holds the secrets' bytes: zero it rather than leave it to the collector. */
function dropMask(): void {
  mask?.fill(0);
  mask = undefined;
}

/** Kept zeroed between calls: fresh megabytes each time cost more (page faults) than the scan itself. */
let spare = new Uint8Array(0);
const KEEP_SPARE = 16 << 20;

function scratch(length: number): Uint8Array {
  if (length > KEEP_SPARE) return new Uint8Array(length);
  if (spare.length < length) spare = new Uint8Array(Math.min(KEEP_SPARE, Math.max(length, spare.length * 2)));
  return spare.subarray(0, length);
}

function run(): void {
  pos = 0;
  values = 0;
  value(false, 0);
  if (pos > src.length) throw new AcctFormatError('the decrypted data is not msgpack (it ends inside its last value)');
  if (pos !== src.length) throw new AcctFormatError(`the decrypted data holds more than one msgpack value (extra bytes at byte ${pos})`);
}

function value(key: boolean, depth: number): void {
  values++;
  const at = pos;
  if (at >= src.length) throw truncated(at);
  const t = src[pos++] as number;
  if (t < 0x80) return; // positive fixint: an ASCII byte, nothing to mask
  if (t >= 0xe0) return number(at, 0);
  if (t < 0x90) return container(at, t & 0x0f, true, key, depth);
  if (t < 0xa0) return container(at, t & 0x0f, false, key, depth);
  if (t < 0xc0) return text(at, t & 0x1f, true, key);
  switch (t) {
    case 0xc0: case 0xc2: case 0xc3:
      if (key) throw new AcctFormatError(`a map key at byte ${at} is ${t === 0xc0 ? 'nil' : 'a boolean'}, not a string`);
      return number(at, 0);
    case 0xcc: case 0xd0: return number(at, 1);
    case 0xcd: case 0xd1: return number(at, 2);
    case 0xca: case 0xce: case 0xd2: return number(at, 4);
    case 0xcb: case 0xcf: case 0xd3: return number(at, 8);
    case 0xc4: return text(at, size(1), false, key);
    case 0xc5: return text(at, size(2), false, key);
    case 0xc6: return text(at, size(4), false, key);
    case 0xd9: return text(at, size(1), true, key);
    case 0xda: return text(at, size(2), true, key);
    case 0xdb: return text(at, size(4), true, key);
    case 0xdc: return container(at, size(2), false, key, depth);
    case 0xdd: return container(at, size(4), false, key, depth);
    case 0xde: return container(at, size(2), true, key, depth);
    case 0xdf: return container(at, size(4), true, key, depth);
    case 0xc1: throw new AcctFormatError(`the decrypted data is not msgpack (byte ${at} is never used)`);
    default: throw new AcctFormatError(`the decrypted data holds a msgpack extension type at byte ${at}, which an acct file cannot hold`);
  }
}

function number(at: number, bytes: number): void {
  pos += bytes;
  if (pos > src.length) throw truncated(at);
  if (mask !== undefined) for (let i = at; i < pos; i++) mask[i] = 0;
}

function size(bytes: number): number {
  const at = pos;
  pos += bytes;
  if (pos > src.length) throw truncated(at - 1);
  let n = 0;
  for (let i = at; i < pos; i++) n = n * 256 + (src[i] as number);
  if (mask !== undefined) for (let i = at - 1; i < pos; i++) mask[i] = 0;
  return n;
}

function container(at: number, count: number, map: boolean, key: boolean, depth: number): void {
  if (mask !== undefined) mask[at] = 0;
  if (key) throw new AcctFormatError(`a map key at byte ${at} is a ${map ? 'map' : 'list'}, not a string`);
  if (count === 0) return;
  // Every item takes at least a byte: refuse a count the rest cannot hold before looping over it.
  if (count > src.length - pos) throw truncated(at);
  if (depth === MAX_DEPTH) throw new AcctFormatError(`the decrypted data nests deeper than ${MAX_DEPTH} levels at byte ${at}`);
  if (map) {
    for (let i = 0; i < count; i++) {
      if (!skipShort(true)) value(true, depth + 1);
      if (!skipShort(false)) value(false, depth + 1);
    }
  } else {
    for (let i = 0; i < count; i++) if (!skipShort(false)) value(false, depth + 1);
  }
}

/**
 * The bulk of a profile file, handled inline: a positive fixint, or a whole fixstr while the mask checks its
 * UTF-8 (as a key, not 9 bytes long, so not "__proto__"). Anything else goes to value().
 */
function skipShort(key: boolean): boolean {
  if (pos >= src.length) return false;
  const t = src[pos] as number;
  if (t < 0x80) {
    pos++;
    values++;
    return true;
  }
  if (mask === undefined || t < 0xa0 || t >= 0xc0 || (key && t === 0xa9)) return false;
  const stop = pos + 1 + (t & 0x1f);
  if (stop > src.length) return false;
  mask[pos] = 0;
  pos = stop;
  values++;
  return true;
}

/** A str or bin of `len` bytes: the key rules, and a flip where the type and the bytes disagree. */
function text(at: number, len: number, str: boolean, key: boolean): void {
  if (mask !== undefined) mask[at] = 0;
  const start = pos;
  const stop = start + len;
  if (stop > src.length) throw truncated(at);
  pos = stop;
  if (key && len === PROTO.length && PROTO.equals(src.subarray(start, stop))) {
    throw new AcctFormatError(`a map key at byte ${at} is "__proto__", which is not allowed`);
  }
  // A str is checked with all the others (in the mask) unless the mask said one of them is not UTF-8.
  if (str && mask !== undefined) return;
  if (!str && mask !== undefined) mask.fill(0, start, stop);
  const utf8 = isUtf8(src.subarray(start, stop));
  if (key && !utf8) throw new AcctFormatError(`a map key at byte ${at} is neither a string nor UTF-8 bytes`);
  if (str !== utf8) flips.push(at);
}

/** A copy of `bytes` with each flipped str header made bin and each bin header made str (a fixstr grows a byte). */
function applyFlips(bytes: Uint8Array, offsets: readonly number[]): Uint8Array {
  const grow = offsets.reduce((n, at) => n + (isFixstr(bytes[at] as number) ? 1 : 0), 0);
  const out = new Uint8Array(bytes.length + grow);
  let from = 0;
  let to = 0;
  for (const at of offsets) {
    out.set(bytes.subarray(from, at), to);
    to += at - from;
    const t = bytes[at] as number;
    if (isFixstr(t)) {
      out[to++] = 0xc4;
      out[to++] = t & 0x1f;
    } else {
      // bin8/16/32 (0xc4-0xc6) <-> str8/16/32 (0xd9-0xdb): same length field
      out[to++] = t <= 0xc6 ? t + 0x15 : t - 0x15;
    }
    from = at + 1;
  }
  out.set(bytes.subarray(from), to);
  return out;
}

function isFixstr(t: number): boolean {
  return t >= 0xa0 && t < 0xc0;
}

function truncated(at: number): Error {
  return new AcctFormatError(`the decrypted data is not msgpack (it ends inside the value at byte ${at})`);
}
