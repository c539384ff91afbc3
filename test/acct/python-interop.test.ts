/**
 * Python acct's file format, checked against the real thing: /usr/bin/python3 with `cryptography` and `msgpack`
 * (Debian: python3-cryptography python3-msgpack) is the oracle. Python acct writes
 * `Fernet(key).encrypt(msgpack.packb(data))` and reads `msgpack.unpackb(Fernet(key).decrypt(token))`.
 * Under CI=true a missing oracle fails this file (with the apt-get hint); locally the tests skip.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { itWith } from '../helpers/services.ts';
import { acctHub, tempDir } from './helpers.ts';
import { manyProfiles } from './many-profiles.ts';

const it = itWith('python');
const dir = tempDir();

const DATA = {
  amqp: { default: { url: 'amqp://guest:guest@127.0.0.1:5672/', heartbeat: 30, ssl: false, ratio: 0.25 } },
  http: { prod: { token: 'grüße 世界 🎉', headers: { 'x-a': ['1', '2'] }, none: null, big: 2 ** 40, neg: -7 } },
  default: 'prod',
};

/**
 * Runs Python with the oracle modules imported; `KEY` and `FILE` come from the environment. `load(text)` reads
 * JSON with `{"$bytes": hex}` as bytes (see toJson); `decode(v)` turns UTF-8 bytes into str as acct's
 * `decode_dict` does; `first_diff(a, b)` is the first differing byte offset, or None.
 */
function python(code: string, env: Record<string, string>, input?: string): string {
  const prelude = [
    'import json, os, sys, msgpack',
    'from cryptography.fernet import Fernet',
    'KEY = os.environ.get("KEY", "").encode()',
    'FILE = os.environ.get("FILE")',
    'def load(text): return json.loads(text, object_hook=lambda o: bytes.fromhex(o["$bytes"]) if list(o) == ["$bytes"] else o)',
    'def decode(v):',
    '  if isinstance(v, bytes):',
    '    try: return v.decode()',
    '    except UnicodeDecodeError: return v',
    '  if isinstance(v, dict): return {decode(k): decode(x) for k, x in v.items()}',
    '  if isinstance(v, list): return [decode(x) for x in v]',
    '  return v',
    'def first_diff(a, b): return next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), None if len(a) == len(b) else min(len(a), len(b)))',
    '',
  ].join('\n');
  return execFileSync('/usr/bin/python3', ['-c', prelude + code], { env: { ...env, PATH: process.env.PATH ?? '' }, input, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** JSON for Python's `load`: bytes as `{"$bytes": hex}`. */
function toJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('hex') } : value));
}

const pythonKey = () => python('print(Fernet.generate_key().decode())', {}).trim();

/** What Python acct writes for `data` (JSON via `load`, so bytes can be given). */
function pythonWriteData(file: string, key: string, data: unknown): void {
  python('open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.dumps(load(sys.stdin.read()))))', { KEY: key, FILE: file }, toJson(data));
}

/**
 * Python opens `file` and compares its plaintext with `msgpack.dumps(decode(data))`: byte for byte, and as
 * Python values (`msgpack.loads` as Python acct calls it).
 */
function pythonCompare(file: string, key: string, data: unknown): { sameBytes: boolean; firstDiff: number | null; equal: boolean } {
  return JSON.parse(
    python(
      'plain = Fernet(KEY).decrypt(open(FILE, "rb").read())\nwant = decode(load(sys.stdin.read()))\n' +
        'print(json.dumps({"sameBytes": plain == msgpack.dumps(want), "firstDiff": first_diff(plain, msgpack.dumps(want)), "equal": msgpack.loads(plain) == want}))',
      { KEY: key, FILE: file },
      toJson(data),
    ),
  );
}

const seq = (n: number) => Array.from({ length: n }, (_, i) => i);
const keyed = (n: number) => Object.fromEntries(seq(n).map((i) => [`k${i}`, i]));
const binary = (n: number) => Uint8Array.from(seq(n), (i) => (i === 0 ? 0xff : i & 0xff));

/**
 * Every kind of value an acct file holds, at each msgpack header boundary (fix/8/16/32 bit). No key looks like
 * an integer, so JavaScript keeps Python's key order and the bytes can be compared.
 */
const RICH = {
  ints: [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53 - 1)],
  floats: [0.5, -1.5, 0.1, 1e300, 5e-324, -2.5e-10],
  flags: { yes: true, no: false, none: null },
  text: {
    empty: '', s31: 'a'.repeat(31), s32: 'a'.repeat(32), s255: 'b'.repeat(255), s256: 'b'.repeat(256), s65535: 'c'.repeat(65535), s65536: 'c'.repeat(65536),
    unicode: 'grüße 世界 🎉', e16: 'é'.repeat(16), combining: 'e\u0301', nul: 'a\u0000b', rtl: 'שלום', replacement: '\ufffd',
  },
  bytes: { b1: binary(1), b255: binary(255), b256: binary(256), b65536: binary(65536) },
  lists: { l0: [], l15: seq(15), l16: seq(16), l65536: seq(65536), nested: [[1, [2, [3, { a: [null, 'x'] }]]]] },
  maps: { m0: {}, m15: keyed(15), m16: keyed(16), m65536: keyed(65536) },
  'grüße': { 'ключ 🎉': 'unicode keys' },
};

/** What Python acct reads from `file`, as JSON. */
function pythonRead(file: string, key: string): unknown {
  return JSON.parse(python('print(json.dumps(msgpack.unpackb(Fernet(KEY).decrypt(open(FILE, "rb").read()), raw=False)))', { KEY: key, FILE: file }));
}

describe('Python acct interop', () => {
  it('reads a file Python wrote, with a key Python generated', async () => {
    const key = pythonKey();
    const file = join(dir, 'from-python.fernet');
    pythonWriteData(file, key, DATA);
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual(DATA);
    await hub.acct.init.unlock(file, key);
    expect(hub.acct.DEFAULT).toBe('prod');
    expect(hub.acct.PROFILES.http.prod.token).toBe('grüße 世界 🎉');
    await hub.close();
  });

  it('reads bytes keys and values (old Python acct files) as strings', async () => {
    const key = pythonKey();
    const file = join(dir, 'bytes.fernet');
    python(
      'data = {b"svc": {b"default": {b"password": b"pw", "mixed": [b"a", "b"], "raw": b"\\xff"}}, "default": b"default"}\n' +
        'open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.packb(data)))\n' +
        // msgpack < 1.0 (use_bin_type=False) packs bytes as str, whether they are UTF-8 or not
        'old = {"svc": {"p": {"k": "v", "secret": b"\\xff\\xfe" + bytes(range(40)), "short": b"\\xc3"}}}\n' +
        'open(FILE + ".old", "wb").write(Fernet(KEY).encrypt(msgpack.packb(old, use_bin_type=False)))',
      { KEY: key, FILE: file },
    );
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual({
      svc: { default: { password: 'pw', mixed: ['a', 'b'], raw: new Uint8Array([0xff]) } },
      default: 'default',
    });
    // not U+FFFD: the bytes that are not UTF-8 stay bytes
    expect(await hub.acct.init.decryptFile(`${file}.old`, key)).toEqual({
      svc: { p: { k: 'v', secret: Uint8Array.from([0xff, 0xfe, ...seq(40)]), short: Uint8Array.from([0xc3]) } },
    });
    await hub.close();
  });

  it('writes files Python reads, with a key tspop generated', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    const file = join(dir, 'from-tspop.fernet');
    await hub.acct.init.writeFile(file, DATA, key);
    expect(pythonRead(file, key)).toEqual(DATA);
    const yml = join(dir, 'creds.yml');
    writeFileSync(yml, 'svc:\n  default:\n    enabled: on\n    port: 0755\n    name: "n"\n');
    const made = await hub.acct.init.encryptFile(yml);
    expect(pythonRead(made.outputFile, made.acctKey)).toEqual({ svc: { default: { enabled: true, port: 493, name: 'n' } } });
    await hub.close();
  });

  it('writes exactly the bytes Python\'s msgpack.dumps writes, for every kind of value and header size', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    const file = join(dir, 'rich-from-tspop.fernet');
    await hub.acct.init.writeFile(file, RICH, key);
    expect(pythonCompare(file, key, RICH)).toEqual({ sameBytes: true, firstDiff: null, equal: true });
    await hub.close();
  });

  it('reads every kind of value Python writes, and writes it back to the same bytes', async () => {
    const key = pythonKey();
    const file = join(dir, 'rich-from-python.fernet');
    const data = { ...RICH, bytes: { ...RICH.bytes, ascii: new Uint8Array(Buffer.from('ascii')), empty: new Uint8Array(0) } };
    pythonWriteData(file, key, data);
    const { hub } = await acctHub();
    const read = await hub.acct.init.decryptFile(file, key);
    // bytes that are UTF-8 come back as strings, as acct's decode_dict makes them
    expect(read).toEqual({ ...RICH, bytes: { ...RICH.bytes, ascii: 'ascii', empty: '' } });
    expect(read.bytes.b256).toBeInstanceOf(Uint8Array);
    const back = join(dir, 'rich-back.fernet');
    await hub.acct.init.writeFile(back, read, key);
    expect(pythonCompare(back, key, data)).toEqual({ sameBytes: true, firstDiff: null, equal: true });
    await hub.close();
  });

  it('round-trips 20,000 small profiles both ways, byte for byte', async () => {
    const data = manyProfiles();
    const key = pythonKey();
    const file = join(dir, 'many-from-python.fernet');
    pythonWriteData(file, key, data);
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual(data);
    const back = join(dir, 'many-from-tspop.fernet');
    await hub.acct.init.writeFile(back, data, key);
    expect(pythonCompare(back, key, data)).toEqual({ sameBytes: true, firstDiff: null, equal: true });
    await hub.close();
  });

  it('reads the number keys Python writes as their decimal text, and refuses nil, boolean and list keys', async () => {
    const key = pythonKey();
    const file = join(dir, 'keys.fernet');
    python('open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.dumps({1: "a", -5: "b", 2.5: "c", "x": {2**40: "d"}})))', { KEY: key, FILE: file });
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual({ 1: 'a', '-5': 'b', '2.5': 'c', x: { 1099511627776: 'd' } });
    for (const [name, literal] of [['nil', 'None'], ['boolean', 'True'], ['list', '(1, 2)']]) {
      const bad = join(dir, `key-${name}.fernet`);
      python(`open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.dumps({"svc": {${literal}: "Hunter2Secret"}})))`, { KEY: key, FILE: bad });
      const err = await hub.acct.init.decryptFile(bad, key).then(() => undefined, (e: unknown) => e as Error & { code?: string });
      expect(err?.code, name).toBe('TSPOP_ERR_ACCT_FORMAT');
      expect(err?.message).not.toContain('Hunter2Secret');
    }
    await hub.close();
  });

  it('refuses "__proto__" keys and extension types in files Python wrote', async () => {
    const key = pythonKey();
    const { hub } = await acctHub();
    const cases = {
      proto: '{"svc": {"__proto__": {"polluted": True}}}',
      bytesProto: '{b"__proto__": {"polluted": True}}',
      ext: '{"svc": {"p": msgpack.ExtType(5, b"Hunter2Secret")}}',
      timestamp: '{"svc": {"p": msgpack.Timestamp(1)}}',
    };
    for (const [name, literal] of Object.entries(cases)) {
      const file = join(dir, `refused-${name}.fernet`);
      python(`open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.dumps(${literal})))`, { KEY: key, FILE: file });
      const err = await hub.acct.init.decryptFile(file, key).then(() => undefined, (e: unknown) => e as Error & { code?: string });
      expect(err?.code, name).toBe('TSPOP_ERR_ACCT_FORMAT');
      expect(err?.message).not.toContain('Hunter2Secret');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await hub.close();
  });

  it('agrees with Python that a tampered file does not open', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    const file = join(dir, 'tamper.fernet');
    await hub.acct.init.writeFile(file, DATA, key);
    const token = readFileSync(file, 'latin1');
    writeFileSync(file, `${token.slice(0, 60)}${token[60] === 'A' ? 'B' : 'A'}${token.slice(61)}`);
    expect(python('from cryptography.fernet import InvalidToken\ntry:\n  Fernet(KEY).decrypt(open(FILE, "rb").read())\n  print("opened")\nexcept InvalidToken:\n  print("InvalidToken")', { KEY: key, FILE: file }).trim()).toBe('InvalidToken');
    await expect(hub.acct.init.decryptFile(file, key)).rejects.toMatchObject({ code: 'TSPOP_ERR_ACCT_DECRYPT' });
    await hub.close();
  });
});
