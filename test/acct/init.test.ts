import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { type TspopErrorClass } from '../../src/errors.ts';
import { AcctDecryptError, AcctEncodingError, AcctFileNotFoundError, AcctFileReadError, AcctFormatError, AcctGatherError, AcctInvalidKeyError, AcctKeyMissingError, AcctOptionsError, AcctYamlError } from '../../acct/_errors.ts';
import { encrypt as fernetEncrypt, generateKey as fernetKey } from '../../acct/crypto/fernet.ts';
import { rejected } from '../helpers/fixtures.ts';
import { acctHub, logText, tempDir } from './helpers.ts';

const dir = tempDir();
const KEY = fernetKey({} as never);
const DATA = {
  conn: { default: { host: 'db1', password: 'pw-conn-default' }, other: { host: 'db2', password: 'pw-conn-other' } },
  conn_alt: { default: { host: 'alt' } },
  plain: { default: { token: 'tok-plain' } },
  custom: { default: { anything: [1, 2, { deep: true }] }, other: { x: 1 } },
  fine: { default: { a: 1 } },
  default: 'other',
};

async function expectError(p: Promise<unknown>, cls: TspopErrorClass): Promise<Error & { code?: string }> {
  const err = await rejected(p);
  expect(err).toBeInstanceOf(cls);
  expect(err.code).toBe(cls.code);
  return err;
}

/** An acct file holding `data`, written the way Python acct does (fernet token of msgpack). */
function acctFile(name: string, data: unknown, key = KEY): string {
  const path = join(dir, name);
  writeFileSync(path, fernetEncrypt({} as never, encode(data), key));
  return path;
}

describe('loading', () => {
  it('sets Python acct state and loads acct/<dyne> folders of every project as nested subs', async () => {
    const { hub } = await acctHub();
    expect(hub.acct.PROFILES).toEqual({});
    expect(hub.acct.UNLOCKED).toBe(false);
    expect(hub.acct.DEFAULT).toBe('default');
    expect(hub.acct.BACKEND_KEY).toBe('acct-backends');
    expect(typeof hub.acct.crypto.fernet.decrypt).toBe('function');
    expect(typeof hub.acct.backend.env.unlock).toBe('function');
    expect(typeof hub.acct.backend.file.unlock).toBe('function');
    expect(typeof hub.acct.svc.conn.gather).toBe('function');
    expect(hub.acct.svc.conn.ACCT).toEqual(['conn', 'conn_alt']);
    expect(typeof hub.acct.init.process).toBe('function');
    // helpers in _ files are not plugins, and imported helpers are not exposed
    expect(hub.acct._yaml).toBeUndefined();
    expect(hub.acct.init.packProfiles).toBeUndefined();
    await hub.close();
  });
});

describe('round trips', () => {
  it('encrypt/decrypt data, writeFile/decryptFile, with fernet by default', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    const token = await hub.acct.init.encrypt(DATA, key);
    expect(token).toMatch(/^gAAAAA/);
    expect(await hub.acct.init.decrypt(token, key)).toEqual(DATA);
    const file = join(dir, 'roundtrip.fernet');
    await hub.acct.init.writeFile(file, DATA, key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await hub.acct.init.decryptFile(file, key)).toEqual(DATA);
    expect(await hub.acct.init.decryptFile(file, key, { cryptoPlugin: 'fernet' })).toEqual(DATA);
    await hub.close();
  });

  it('encryptFile parses YAML, writes FILE.fernet and reports a generated key', async () => {
    const { hub } = await acctHub();
    const input = join(dir, 'creds.yml');
    writeFileSync(input, 'svc:\n  default:\n    user: me\n    ssl: yes\ndefault: default\n');
    const made = await hub.acct.init.encryptFile(input);
    expect(made).toEqual({ acctKey: expect.stringMatching(/=$/), outputFile: `${input}.fernet`, generated: true });
    expect(await hub.acct.init.decryptFile(`${input}.fernet`, made.acctKey)).toEqual({ svc: { default: { user: 'me', ssl: true } }, default: 'default' });
    const given = await hub.acct.init.encryptFile(input, { acctKey: KEY, outputFile: join(dir, 'out.bin') });
    expect(given).toEqual({ acctKey: KEY, outputFile: join(dir, 'out.bin'), generated: false });
    await hub.close();
  });

  it('reads a file with a trailing newline (Python tolerates one) and an empty (nil) payload as {}', async () => {
    const { hub } = await acctHub();
    const file = join(dir, 'newline.fernet');
    writeFileSync(file, `${fernetEncrypt({} as never, encode({ a: { b: { c: 1 } } }), KEY)}\r\n`);
    expect(await hub.acct.init.decryptFile(file, KEY)).toEqual({ a: { b: { c: 1 } } });
    expect(await hub.acct.init.decryptFile(acctFile('nil.fernet', null), KEY)).toEqual({});
    await hub.close();
  });
});

describe('unlock', () => {
  it('pops default and acct-backends, merges backends, fills PROFILES once', async () => {
    const { hub } = await acctHub();
    const file = acctFile('unlock.fernet', {
      ...DATA,
      'acct-backends': { explode: { extra: { result: { conn: { default: { port: 1 } }, added: { p: { q: 1 } } } } } },
    });
    await hub.acct.init.unlock(file, KEY);
    expect(hub.acct.UNLOCKED).toBe(true);
    expect(hub.acct.DEFAULT).toBe('other');
    expect(hub.acct.BACKENDS).toEqual({ explode: { extra: expect.any(Object) } });
    const { default: _d, ...profiles } = DATA;
    expect(hub.acct.PROFILES).toEqual({
      ...profiles,
      conn: { ...profiles.conn, default: { ...profiles.conn.default, port: 1 } },
      added: { p: { q: 1 } },
    });
    // like Python acct, a second unlock is a no-op
    await hub.acct.init.unlock(acctFile('second.fernet', { z: { z: {} } }), KEY);
    expect(hub.acct.PROFILES.z).toBeUndefined();
    await hub.close();
    expect(hub.acct.PROFILES).toEqual({});
    expect(hub.acct.UNLOCKED).toBe(false);
  });

  it('defaults DEFAULT to "default", honours backend_key, and profiles() keeps the special keys', async () => {
    const { hub } = await acctHub();
    const raw = { svc: { default: {} }, backend_key: 'mine', mine: { explode: { one: { result: { b: { c: {} } } } } } };
    const file = acctFile('backend-key.fernet', raw);
    expect(await hub.acct.init.profiles(file, KEY)).toEqual({ ...raw, b: { c: {} } });
    await hub.acct.init.unlock(file, KEY);
    expect(hub.acct.DEFAULT).toBe('default');
    expect(hub.acct.BACKEND_KEY).toBe('mine');
    expect(hub.acct.PROFILES).toEqual({ svc: { default: {} }, b: { c: {} } });
    await hub.close();
  });

  it('unlockBlob returns the parts without touching the hub', async () => {
    const { hub } = await acctHub();
    const token = fernetEncrypt({} as never, encode(DATA), KEY);
    const blob = await hub.acct.init.unlockBlob(`${token}\n`, KEY);
    expect(blob.defaultProfile).toBe('other');
    expect(blob.profiles.plain).toEqual(DATA.plain);
    expect(hub.acct.UNLOCKED).toBe(false);
    await hub.close();
  });
});

describe('bad input', () => {
  const good = acctFile('good.fernet', DATA);
  const token = readFileSync(good, 'latin1');

  it('wrong key, altered, truncated, empty or non-token file: one message naming the file, no key', async () => {
    const { hub } = await acctHub();
    const other = fernetKey({} as never);
    const flipped = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`;
    const cases: Array<[string, string]> = [
      ['wrong-key.fernet', token],
      ['altered.fernet', flipped],
      ['truncated.fernet', token.slice(0, token.length - 8)],
      ['half.fernet', token.slice(0, 30)],
      ['empty.fernet', ''],
      ['plain.yml', 'svc:\n  default: {}\n'],
    ];
    for (const [name, text] of cases) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const key = name === 'wrong-key.fernet' ? other : KEY;
      const err = await expectError(hub.acct.init.decryptFile(file, key), AcctDecryptError);
      expect(err.message).toBe(`cannot decrypt ${file}: wrong key or corrupted file`);
      expect(err.message).not.toContain(key);
      expect(await expectError(hub.acct.init.unlock(file, key), AcctDecryptError)).toBeTruthy();
    }
    expect(hub.acct.UNLOCKED).toBe(false);
    await hub.close();
  });

  it('malformed key, missing key, missing file, folder, unreadable file', async () => {
    const { hub } = await acctHub();
    const bad = `${KEY.slice(0, 43)}`;
    const err = await expectError(hub.acct.init.decryptFile(good, bad), AcctInvalidKeyError);
    expect(err.message).not.toContain(bad);
    await expectError(hub.acct.init.decryptFile(good, undefined), AcctKeyMissingError);
    await expectError(hub.acct.init.decryptFile(good, ''), AcctKeyMissingError);
    const missing = await expectError(hub.acct.init.decryptFile(join(dir, 'nope.fernet'), KEY), AcctFileNotFoundError);
    expect(missing.message).toContain(join(dir, 'nope.fernet'));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect((await expectError(hub.acct.init.decryptFile(folder, KEY), AcctFileReadError)).message).toContain('folder');
    if (process.getuid?.() !== 0) {
      const locked = acctFile('locked.fernet', DATA);
      chmodSync(locked, 0o000);
      await expectError(hub.acct.init.decryptFile(locked, KEY), AcctFileReadError);
    }
    await expectError(hub.acct.init.unlock(undefined as never, KEY), AcctOptionsError);
    await hub.close();
  });

  it('a valid token that is not msgpack of a mapping is a format error', async () => {
    const { hub } = await acctHub();
    const notMsgpack = join(dir, 'not-msgpack.fernet');
    writeFileSync(notMsgpack, fernetEncrypt({} as never, Buffer.from([0xc1]), KEY));
    expect((await expectError(hub.acct.init.decryptFile(notMsgpack, KEY), AcctFormatError)).message).toContain(notMsgpack);
    await expectError(hub.acct.init.decryptFile(acctFile('list.fernet', [1, 2]), KEY), AcctFormatError);
    const twoValues = join(dir, 'two-values.fernet');
    writeFileSync(twoValues, fernetEncrypt({} as never, Buffer.concat([encode({}), encode({})]), KEY));
    await expectError(hub.acct.init.decryptFile(twoValues, KEY), AcctFormatError);
    await expectError(hub.acct.init.unlock(acctFile('bad-default.fernet', { default: 3 }), KEY), AcctFormatError);
    await hub.close();
  });

  it('unknown crypto plugin, YAML errors and data an acct file cannot hold', async () => {
    const { hub } = await acctHub();
    const unknown = await expectError(hub.acct.init.decryptFile(good, KEY, { cryptoPlugin: 'rot13' }), AcctOptionsError);
    expect(unknown.message).toContain('fernet');
    const yml = join(dir, 'broken.yml');
    writeFileSync(yml, 'svc:\n  default:\n    password: hunter2\n    list: [1, 2\n');
    const yamlErr = await expectError(hub.acct.init.encryptFile(yml, { acctKey: KEY }), AcctYamlError);
    expect(yamlErr.message).toMatch(new RegExp(`^${yml}: YAML syntax error at line \\d+, column \\d+: `));
    expect(yamlErr.message).not.toContain('hunter2');
    await expectError(hub.acct.init.encrypt({ a: { b: { c: new Date() } } }, KEY), AcctFormatError);
    await expectError(hub.acct.init.encrypt([] as never, KEY), AcctFormatError);
    await expectError(hub.acct.init.encryptFile(join(dir, 'absent.yml')), AcctFileNotFoundError);
    await hub.close();
  });

  it('refuses plaintext that is not UTF-8, naming the file and the byte offset', async () => {
    const { hub } = await acctHub();
    const yml = join(dir, 'latin1.yml');
    const head = Buffer.from('svc:\n  default:\n    password: caf');
    writeFileSync(yml, Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('!\n')]));
    const err = await expectError(hub.acct.init.encryptFile(yml, { acctKey: KEY, outputFile: join(dir, 'latin1.fernet') }), AcctEncodingError);
    expect(err.message).toContain(yml);
    expect(err.message).toContain(`offset ${head.length}`);
    await hub.close();
  });
});

describe('gather', () => {
  async function unlocked() {
    const ctx = await acctHub();
    await ctx.hub.acct.init.unlock(acctFile(`gather-${Math.random()}.fernet`, DATA), KEY);
    return ctx;
  }

  it('runs the dyne\'s gather plugins on their providers and passes the other providers through', async () => {
    const { hub, log } = await unlocked();
    const out = await hub.acct.init.gather(['svc']);
    expect(out.conn).toEqual({
      default: { host: 'db1', connected: true, authed: true, id: 'conn/default' },
      other: { host: 'db2', connected: true, authed: true, id: 'conn/other' },
    });
    expect(out.conn_alt).toEqual({ default: { host: 'alt', connected: true, authed: false, id: 'conn_alt/default' } });
    expect(out.plain).toEqual({ default: { token: 'tok-plain' }, generated: { from: 'plugin' } });
    // not served by any svc plugin: raw data, as a copy
    expect(out.custom).toEqual(DATA.custom);
    expect(out.fine).toEqual(DATA.fine);
    expect(out.custom).not.toBe(hub.acct.PROFILES.custom);
    // plugins got copies: their mutations never reach PROFILES
    expect(hub.acct.PROFILES.conn.default).toEqual(DATA.conn.default);
    // each plugin sees only its own providers
    expect(hub.acct.svc.plain.SEEN).toEqual([{ plain: DATA.plain }]);
    expect(log.records.filter((r) => r.level === 'error')).toEqual([]);
    await hub.close();
  });

  it('keeps only profileName when given, also in what plugins receive', async () => {
    const { hub } = await unlocked();
    const out = await hub.acct.init.gather('svc', 'other');
    expect(out).toEqual({
      conn: { other: { host: 'db2', connected: true, authed: true, id: 'conn/other' } },
      custom: { other: { x: 1 } },
    });
    expect(hub.acct.svc.plain.SEEN.at(-1)).toEqual({ plain: {} });
    await hub.close();
  });

  it('logs and skips failing plugins by name, without profile data or passwords', async () => {
    const { hub, log } = await unlocked();
    const out = await hub.acct.init.gather(['broken']);
    expect(out.fine).toEqual({ default: { ok: true } });
    expect(out.conn).toEqual(DATA.conn); // no broken/* plugin serves conn: passes through
    const errors = log.records.filter((r) => r.level === 'error').map((r) => r.msg).sort();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^acct gather plugin acct\.broken\.shape failed: it returned provider "default"/);
    expect(errors[1]).toMatch(/^acct gather plugin acct\.broken\.throws failed: connect ECONNREFUSED amqp:\/\/guest:\*\*\*@/);
    expect(errors[2]).toMatch(/^acct gather plugin acct\.broken\.unloadable failed: it failed to load/);
    const text = logText(log);
    for (const secret of ['s3cr3t-pw', 'pw-conn-default', 'tok-plain', KEY]) expect(text).not.toContain(secret);
    await hub.close();
  });

  it('hardFail throws an AcctGatherError naming the plugin', async () => {
    const { hub } = await unlocked();
    const err = await expectError(hub.acct.init.gather(['svc', 'broken'], undefined, { hardFail: true }), AcctGatherError);
    expect(err.message).toMatch(/acct\.broken\.(shape|throws|unloadable)/);
    await hub.close();
  });

  it('close() hands each plugin its output back; hub.close() does it too', async () => {
    const { hub } = await unlocked();
    const closed: string[] = hub.acct.svc.conn.CLOSED;
    closed.length = 0;
    await hub.acct.init.gather(['svc'], 'default');
    await hub.acct.init.close();
    expect(closed.sort()).toEqual(['conn/default', 'conn_alt/default']);
    await hub.acct.init.gather(['svc']);
    await hub.close();
    expect(closed).toHaveLength(5);
  });

  it('what a caller gathers with hold, hub.close() leaves to the caller; release() closes it once', async () => {
    const { hub } = await unlocked();
    const closed: string[] = hub.acct.svc.conn.CLOSED;
    closed.length = 0;
    const held = await hub.acct.init.gather(['svc'], 'default', { hold: true });
    await hub.acct.init.gather(['svc'], 'other');

    await hub.acct.init.close();
    expect(closed).toEqual(['conn/other']);

    await hub.acct.init.release(held);
    await hub.acct.init.release(held);
    expect(closed.sort()).toEqual(['conn/default', 'conn/other', 'conn_alt/default']);
    await hub.close();
    expect(closed).toHaveLength(3);
  });

  it('gathers from opts.profiles (running its backends) and from nothing when locked', async () => {
    const { hub } = await acctHub();
    const locked = await hub.acct.init.gather(['svc']);
    expect(locked).toEqual({ conn: {}, conn_alt: {}, plain: { generated: { from: 'plugin' } } });
    const given = await hub.acct.init.gather(['svc'], undefined, {
      profiles: { other: { p: { v: 1 } }, default: 'p', 'acct-backends': { explode: { x: { result: { more: { p: {} } } } } } },
    });
    expect(given.other).toEqual({ p: { v: 1 } });
    expect(given.more).toEqual({ p: {} });
    expect(given.default).toBeUndefined();
    expect(await hub.acct.init.gather(['no_such_dyne'], undefined, { profiles: { a: { b: {} } } })).toEqual({ a: { b: {} } });
    await expectError(hub.acct.init.gather([3] as never), AcctOptionsError);
    await hub.close();
  });

  it('process() returns only what the plugins made', async () => {
    const { hub } = await acctHub();
    const out = await hub.acct.init.process(['svc'], { plain: { a: { b: 1 } }, custom: { x: {} } });
    expect(out).toEqual({ conn: {}, conn_alt: {}, plain: { a: { b: 1 }, generated: { from: 'plugin' } } });
    await hub.close();
  });
});
