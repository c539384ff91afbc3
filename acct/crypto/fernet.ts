/**
 * Fernet (https://github.com/fernet/spec) on node:crypto, byte-compatible with Python cryptography's `Fernet`.
 *
 *   token = b64url(0x80 || ts:u64be || iv:16 || AES-128-CBC-PKCS7(plaintext) || HMAC-SHA256(all before))
 *   key   = b64url(signing key:16 || encryption key:16)
 *
 * Base64 is stricter than Python on input (Python's decoder is lenient): only the url-safe alphabet, `=` padding
 * required, and the canonical encoding only (unused trailing bits zero, no whitespace). Every token therefore has
 * exactly one text form, and anything Python or this file emits is accepted.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AcctInvalidKeyError, AcctInvalidTokenError, AcctOptionsError } from '../_errors.ts';
import type { Hub } from '../../src/types.ts';

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version, timestamp, iv
const MAC = 32;
const BLOCK = 16;
const KEY_MESSAGE = 'acct key is malformed: expected 32 url-safe base64 bytes (44 characters)';

/** A fresh random key, url-safe base64 with padding (44 characters), as `Fernet.generate_key()` makes. */
export function generateKey(_hub: Hub): string {
  return randomBytes(32).toString('base64url') + '=';
}

/**
 * Encrypts `data` (a string is taken as UTF-8) into a token string, as `Fernet(key).encrypt(data).decode()`.
 * `now` (a Date or epoch milliseconds) and `iv` exist only to reproduce the spec's vectors; never pass `iv` in real use.
 */
export function encrypt(
  _hub: Hub,
  data: Uint8Array | string,
  key: string,
  opts: { now?: Date | number; iv?: Uint8Array } = {},
): string {
  const { signing, encryption } = parseKey(key);
  const seconds = Math.floor(epochMs(opts.now ?? Date.now()) / 1000);
  if (seconds < 0) throw new AcctOptionsError('fernet: `now` must not be before 1970');
  const iv = opts.iv ?? randomBytes(16);
  if (iv.byteLength !== 16) throw new AcctOptionsError('fernet: `iv` must be 16 bytes');
  const plain = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

  // One buffer for the whole token: the MAC and the base64 both read it in place.
  const ctLen = (Math.floor(plain.byteLength / BLOCK) + 1) * BLOCK;
  const out = Buffer.allocUnsafe(HEADER + ctLen + MAC);
  out[0] = VERSION;
  out.writeUInt32BE(Math.floor(seconds / 2 ** 32), 1);
  out.writeUInt32BE(seconds >>> 0, 5);
  out.set(iv, 9);
  const cipher = createCipheriv('aes-128-cbc', encryption, iv);
  const head = cipher.update(plain);
  out.set(head, HEADER);
  out.set(cipher.final(), HEADER + head.length);
  createHmac('sha256', signing).update(out.subarray(0, HEADER + ctLen)).digest().copy(out, HEADER + ctLen);
  return out.toString('base64url') + '='.repeat((3 - (out.length % 3)) % 3);
}

/**
 * Decrypts a token (a string, or its ASCII bytes) to the plaintext bytes, as `Fernet(key).decrypt(token, ttl)`.
 * No `ttl` means the token never expires (acct files). With `ttl` (seconds), a token older than `ttl` or stamped more
 * than `maxClockSkew` seconds (default 60) after `now` is rejected. Every rejection is an `AcctInvalidTokenError`
 * whose message names the check that failed, never the key or the plaintext.
 */
export function decrypt(
  _hub: Hub,
  token: string | Uint8Array,
  key: string,
  opts: { ttl?: number; now?: Date | number; maxClockSkew?: number } = {},
): Buffer {
  const { signing, encryption } = parseKey(key);
  const data = decodeToken(token);
  if (data.length < HEADER + MAC) throw invalid('too short');
  if (data[0] !== VERSION) throw invalid('unknown version');
  const macAt = data.length - MAC;
  // PKCS7 pads even an empty plaintext to one block, so zero blocks is as malformed as a partial one.
  if (macAt === HEADER || (macAt - HEADER) % BLOCK !== 0) throw invalid('ciphertext is not a whole, non-zero number of blocks');

  // Authenticate before trusting anything else in the token, the timestamp included.
  const mac = createHmac('sha256', signing).update(data.subarray(0, macAt)).digest();
  if (!timingSafeEqual(mac, data.subarray(macAt))) throw invalid('signature mismatch (wrong key or altered token)');

  if (opts.ttl !== undefined) checkAge(data, opts.ttl, opts.now ?? Date.now(), opts.maxClockSkew ?? 60);

  const decipher = createDecipheriv('aes-128-cbc', encryption, data.subarray(9, HEADER));
  const body = decipher.update(data.subarray(HEADER, macAt));
  let tail: Buffer;
  try {
    tail = decipher.final();
  } catch (cause) {
    // Only reachable with a correctly signed token, so this reveals nothing an attacker could probe.
    throw invalid('bad padding', cause);
  }
  return tail.length === 0 ? body : Buffer.concat([body, tail], body.length + tail.length);
}

function checkAge(data: Buffer, ttl: number, now: Date | number, skew: number): void {
  if (!(ttl >= 0) || !(skew >= 0)) throw new AcctOptionsError('fernet: `ttl` and `maxClockSkew` must be >= 0');
  // Python compares whole seconds (int(time.time())); doing the same keeps both sides agreeing at the edges.
  const current = Math.floor(epochMs(now) / 1000);
  const stamped = data.readUInt32BE(1) * 2 ** 32 + data.readUInt32BE(5);
  if (stamped + ttl < current) throw invalid('expired');
  if (current + skew < stamped) throw invalid('timestamp is too far in the future');
}

function epochMs(now: Date | number): number {
  const ms = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new AcctOptionsError('fernet: `now` is not a valid time');
  return ms;
}

function parseKey(key: string): { signing: Buffer; encryption: Buffer } {
  if (typeof key !== 'string' || key.length !== 44) throw new AcctInvalidKeyError(KEY_MESSAGE);
  const raw = strictBase64(key);
  if (raw?.length !== 32) throw new AcctInvalidKeyError(KEY_MESSAGE);
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16) };
}

function decodeToken(token: string | Uint8Array): Buffer {
  let text: string;
  if (typeof token === 'string') text = token;
  else if (token instanceof Uint8Array) text = Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('latin1');
  else throw invalid('not a string or bytes');
  const data = strictBase64(text);
  if (data === undefined) throw invalid('not url-safe base64 with padding');
  return data;
}

/**
 * Decodes padded url-safe base64, or returns undefined unless `text` is exactly what an encoder would emit.
 * Node's decoder is lenient in ways each caught here without a second pass over the megabytes of an acct file:
 * it skips characters outside the alphabet and stops at a misplaced `=` (either way fewer bytes come out than
 * the length promises), reads a character above U+00FF by its low byte (so only ASCII text is taken), and
 * accepts `+` and `/`. Last, the bits past the final byte must be zero, or two texts would decode alike.
 */
function strictBase64(text: string): Buffer | undefined {
  const n = text.length;
  if (n === 0 || n % 4 !== 0) return undefined;
  const pad = text.charCodeAt(n - 1) !== EQUALS ? 0 : text.charCodeAt(n - 2) !== EQUALS ? 1 : 2;
  if (Buffer.byteLength(text, 'utf8') !== n || text.includes('+') || text.includes('/')) return undefined;
  const data = Buffer.from(text, 'base64url');
  if (data.length !== (n / 4) * 3 - pad) return undefined;
  // The last character before the padding carries 2 (one `=`) or 4 (two) bits that belong to no byte.
  const unused = pad === 0 ? 0 : sextet(text.charCodeAt(n - 1 - pad)) & (pad === 1 ? 0b11 : 0b1111);
  return unused === 0 ? data : undefined;
}

const EQUALS = 0x3d;

/** The 6-bit value of a url-safe base64 character (already known to be one). */
function sextet(c: number): number {
  if (c >= 0x61) return c - 0x61 + 26; // a-z
  if (c >= 0x41) return c === 0x5f ? 63 : c - 0x41; // A-Z, _
  return c === 0x2d ? 62 : c - 0x30 + 52; // -, 0-9
}

function invalid(reason: string, cause?: unknown): Error {
  return new AcctInvalidTokenError(`acct token is invalid: ${reason}`, cause === undefined ? undefined : { cause });
}
