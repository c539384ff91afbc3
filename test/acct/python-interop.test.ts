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

const it = itWith('python');
const dir = tempDir();

const DATA = {
  amqp: { default: { url: 'amqp://guest:guest@127.0.0.1:5672/', heartbeat: 30, ssl: false, ratio: 0.25 } },
  http: { prod: { token: 'grüße 世界 🎉', headers: { 'x-a': ['1', '2'] }, none: null, big: 2 ** 40, neg: -7 } },
  default: 'prod',
};

/** Runs Python with the oracle modules imported; `KEY` and `FILE` come from the environment. */
function python(code: string, env: Record<string, string>, input?: string): string {
  const prelude = 'import json, os, sys, msgpack\nfrom cryptography.fernet import Fernet\nKEY = os.environ.get("KEY", "").encode()\nFILE = os.environ.get("FILE")\n';
  return execFileSync('/usr/bin/python3', ['-c', prelude + code], { env: { ...env, PATH: process.env.PATH ?? '' }, input, encoding: 'utf8' });
}

/** What Python acct writes for `data` (JSON in, so bytes need the `as_bytes` marker). */
function pythonWrite(file: string, key: string, data: unknown): void {
  python('data = json.loads(sys.stdin.read())\nopen(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.packb(data)))', { KEY: key, FILE: file }, JSON.stringify(data));
}

/** What Python acct reads from `file`, as JSON. */
function pythonRead(file: string, key: string): unknown {
  return JSON.parse(python('print(json.dumps(msgpack.unpackb(Fernet(KEY).decrypt(open(FILE, "rb").read()), raw=False)))', { KEY: key, FILE: file }));
}

describe('Python acct interop', () => {
  it('reads a file Python wrote, with a key Python generated', async () => {
    const key = python('print(Fernet.generate_key().decode())', {}).trim();
    const file = join(dir, 'from-python.fernet');
    pythonWrite(file, key, DATA);
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual(DATA);
    await hub.acct.init.unlock(file, key);
    expect(hub.acct.DEFAULT).toBe('prod');
    expect(hub.acct.PROFILES.http.prod.token).toBe('grüße 世界 🎉');
    await hub.close();
  });

  it('reads bytes keys and values (old Python acct files) as strings', async () => {
    const key = python('print(Fernet.generate_key().decode())', {}).trim();
    const file = join(dir, 'bytes.fernet');
    python(
      'data = {b"svc": {b"default": {b"password": b"pw", "mixed": [b"a", "b"], "raw": b"\\xff"}}, "default": b"default"}\n' +
        'open(FILE, "wb").write(Fernet(KEY).encrypt(msgpack.packb(data)))\n' +
        'open(FILE + ".old", "wb").write(Fernet(KEY).encrypt(msgpack.packb({"svc": {"p": {"k": "v"}}}, use_bin_type=False)))',
      { KEY: key, FILE: file },
    );
    const { hub } = await acctHub();
    expect(await hub.acct.init.decryptFile(file, key)).toEqual({
      svc: { default: { password: 'pw', mixed: ['a', 'b'], raw: new Uint8Array([0xff]) } },
      default: 'default',
    });
    expect(await hub.acct.init.decryptFile(`${file}.old`, key)).toEqual({ svc: { p: { k: 'v' } } });
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
