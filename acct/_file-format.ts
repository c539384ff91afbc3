/**
 * The plaintext of an acct file, as Python acct writes it: msgpack of the profile mapping
 *
 *   { <provider>: { <profile name>: {...data} }, default?: '<profile name>', 'acct-backends'?: {...} }
 *
 * which the crypto plugin (fernet) then encrypts. Python packs `str` as msgpack str and `bytes` as bin; old files
 * (msgpack < 1.0, or acct's raw mode) may carry bytes where strings are meant, so bin keys and values that are valid
 * UTF-8 become strings, as acct's `decode_dict` does. Helpers only: the loader skips `_` files.
 */
import { createRequire } from 'node:module';
import type * as MsgpackJs from '@msgpack/msgpack';
import type * as Msgpackr from 'msgpackr';
import { AcctFormatError } from './_errors.ts';
import type { Dynamic } from '../src/types.ts';
import { vetMsgpack } from './_vet-msgpack.ts';
import { DECLINED, decodeInV8 } from './_msgpack-in-v8.ts';

/** provider -> profile name -> profile data (raw) or ctx (gathered). */
export type Profiles = Record<string, Record<string, Dynamic>>;

/** The whole decrypted mapping: profiles plus the special top-level keys. */
export type AcctData = Record<string, Dynamic>;

/** Python acct's defaults for the special top-level keys. */
export const DEFAULT_KEY = 'default';
export const BACKEND_KEY_KEY = 'backend_key';
export const DEFAULT_BACKEND_KEY = 'acct-backends';

// Each msgpack library is loaded on first use: @msgpack/msgpack costs ~10 ms of CPU to load, which `acct --help`
// need not pay, nor a decrypt the encoder.
const load = createRequire(import.meta.url);
let nativeUnpackr: Msgpackr.Unpackr | undefined;
let plainUnpackr: Msgpackr.Unpackr | undefined;
let msgpackJs: typeof MsgpackJs | undefined;
const NIL = new Uint8Array([0xc0]);
const UNPACKR_OPTIONS = { useRecords: false, mapsAsObjects: true, int64AsType: 'number', copyBuffers: true } as const;

/**
 * Below this many bytes, msgpackr decodes in plain JavaScript. Its native string extractor (msgpackr-extract,
 * found through node-gyp-build and detect-libc) makes a process start ~13 ms slower (`node -e
 * "require('msgpackr')"` +17 ms over `node -e 0`, its pure build +4 ms) and `acct decrypt` of a small file pays
 * that for nothing. From here on it pays: the 1.6 MB plaintext of 20,000 profiles decodes in 13.5 ms with it
 * against 17.5 ms without, and a process that reads acct files more than once (a hub, the benches) keeps it.
 */
export const NATIVE_DECODE_BYTES = 64 * 1024;

/**
 * From this many values (map keys included) on, V8 decodes (see _msgpack-in-v8.ts): what msgpackr builds then
 * fills the young generation, and the collections that copy it cost more than the rewrite into V8's format does.
 * Measured on files of small profiles: 5,000 profiles (50k values) msgpackr 2.9 ms, V8 5.7 ms; 10,000 even
 * (13.7/13.6 ms); 20,000 msgpackr 30 ms, V8 20 ms. 1 MiB of profiles with 128-character tokens (48k values):
 * msgpackr 2.0 ms, V8 3.5 ms; 3 MiB of them (143k): 24 against 19 ms.
 */
export const V8_DECODE_VALUES = 100_000;

/**
 * The first such file of a process still goes to msgpackr: the rewrite runs in V8's interpreter until V8 has
 * compiled it, so its first run takes ~110-135 ms for 20,000 profiles against msgpackr's ~35-55 (fresh process),
 * the next ones 12-29 ms against 12-38. Most processes read their acct file once (a CLI, gathering at start-up);
 * one that reads big files again (a hub reloading them, the bench) gets the V8 decode from its second read on.
 */
let bigDecodes = 0;

/**
 * msgpackr decodes about 3x faster than @msgpack/msgpack on files of many small profiles. vetMsgpack checks the
 * bytes first and evens out what msgpackr would read differently, so its result is returned as it is:
 * plain objects for maps, numbers for 64-bit ints (as @msgpack/msgpack gave), copies of bin values (views would
 * keep all the plaintext alive). Both builds are the same msgpackr release with the same options
 * (`unpack-no-eval` is its build without the extractor, and without `new Function`, which records would use).
 */
function decoder(size: number): Msgpackr.Unpackr {
  if (size < NATIVE_DECODE_BYTES) {
    plainUnpackr ??= new (load('msgpackr/unpack-no-eval') as typeof Msgpackr).Unpackr(UNPACKR_OPTIONS);
    return plainUnpackr;
  }
  nativeUnpackr ??= new (load('msgpackr') as typeof Msgpackr).Unpackr(UNPACKR_OPTIONS);
  return nativeUnpackr;
}

/**
 * msgpack bytes of `data`, byte for byte what Python's `msgpack.dumps` writes for it (str keys and values stay str).
 * Not msgpackr: it packs integers beyond 32 bits as float64, which Python would read back as floats.
 */
export function packProfiles(data: AcctData): Uint8Array {
  assertPlainData(data);
  msgpackJs ??= load('@msgpack/msgpack') as typeof MsgpackJs;
  // encode() makes a fresh Encoder each time: a kept one would hold the last plaintext in its buffer.
  return msgpackJs.encode(data, { ignoreUndefined: true });
}

/**
 * The profile mapping in decrypted msgpack `bytes`. nil (Python acct's empty file) is `{}`. Throws
 * AcctFormatError, never quoting the data, when the bytes are not one msgpack value or not a mapping.
 */
export function unpackProfiles(bytes: Uint8Array): AcctData {
  const { bytes: vetted, values } = vetMsgpack(bytes);
  const big = values >= V8_DECODE_VALUES;
  let value = big && bigDecodes++ > 0 ? decodeInV8(vetted) : DECLINED;
  if (value === DECLINED) value = unpack(vetted);
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) throw new AcctFormatError(`the decrypted data is ${kindOf(value)}, not a mapping of profiles`);
  return value;
}

/** msgpackr's reading of the vetted bytes. */
function unpack(vetted: Uint8Array): unknown {
  const unpackr = decoder(vetted.byteLength);
  try {
    // A plain Uint8Array view: bin values then come out as Uint8Array, not Buffer.
    return unpackr.unpack(new Uint8Array(vetted.buffer, vetted.byteOffset, vetted.byteLength));
  } catch {
    // Not reached after vetMsgpack; msgpackr's own messages may quote the data, so none is passed on.
    throw new AcctFormatError('the decrypted data is not msgpack');
  } finally {
    // msgpackr keeps its last source and the strings it extracted in module state until the next unpack:
    // one of nil lets the plaintext go now.
    unpackr.unpack(NIL);
  }
}

/**
 * Checks that `data` is what both msgpack sides agree on: null, booleans, finite numbers, strings, bytes, arrays
 * and plain objects, without a `__proto__` key (our decoder refuses it, so it could never be read back) or cycles.
 * The message names the path, never the value.
 */
export function assertPlainData(data: unknown, path = '', seen = new Set<object>()): void {
  if (data === null || typeof data === 'string' || typeof data === 'boolean' || data instanceof Uint8Array) return;
  if (typeof data === 'number') {
    if (!Number.isFinite(data)) throw new AcctFormatError(`${where(path)} is not a finite number`);
    return;
  }
  if (typeof data !== 'object' || !(Array.isArray(data) || isPlainObject(data))) {
    throw new AcctFormatError(`${where(path)} is ${kindOf(data)}, which an acct file cannot hold`);
  }
  if (seen.has(data)) throw new AcctFormatError(`${where(path)} refers to itself`);
  seen.add(data);
  if (Array.isArray(data)) data.forEach((v, i) => assertPlainData(v, `${path}[${i}]`, seen));
  else {
    for (const key of Object.keys(data)) {
      if (key === '__proto__') throw new AcctFormatError(`${where(path)} has the key "__proto__", which is not allowed`);
      const value = (data as Record<string, unknown>)[key];
      if (value !== undefined) assertPlainData(value, path === '' ? key : `${path}.${key}`, seen);
    }
  }
  seen.delete(data);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** "a string", "a list"... for messages that must not show the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `a ${typeof value}`;
}

function where(path: string): string {
  return path === '' ? 'the data' : `"${path}"`;
}

/** The decrypted mapping taken apart: Python acct pops `default` and the backend section off the profiles. */
export interface SplitData {
  /** The `default` entry: the profile name to use when none is asked for. */
  readonly defaultProfile: string | undefined;
  /** Name of the backend section: the file's `backend_key`, else `fallbackBackendKey`. */
  readonly backendKey: string;
  /** The backend section (`acct-backends`), or undefined. */
  readonly backends: Record<string, unknown> | undefined;
  readonly profiles: Profiles;
}

/** Splits `data` without modifying it. A `default` that is not a string is an AcctFormatError. */
export function splitData(data: AcctData, fallbackBackendKey = DEFAULT_BACKEND_KEY): SplitData {
  const { [DEFAULT_KEY]: dflt, [BACKEND_KEY_KEY]: customKey, ...rest } = data;
  if (dflt !== undefined && dflt !== null && typeof dflt !== 'string') {
    throw new AcctFormatError(`"${DEFAULT_KEY}" must be a profile name, not ${kindOf(dflt)}`);
  }
  if (customKey !== undefined && typeof customKey !== 'string') {
    throw new AcctFormatError(`"${BACKEND_KEY_KEY}" must be a string, not ${kindOf(customKey)}`);
  }
  const backendKey = customKey ?? fallbackBackendKey;
  const { [backendKey]: section, ...profiles } = rest;
  if (section !== undefined && section !== null && !isPlainObject(section)) {
    throw new AcctFormatError(`"${backendKey}" must map backend names to backend profiles, not ${kindOf(section)}`);
  }
  return {
    defaultProfile: typeof dflt === 'string' ? dflt : undefined,
    backendKey,
    backends: isPlainObject(section) ? section : undefined,
    profiles: profiles as Profiles,
  };
}
