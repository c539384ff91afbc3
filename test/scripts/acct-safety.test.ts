/**
 * `acct` as a careless user and a busy machine use it: files encrypted twice, two commands on one file at once,
 * symlinks, signals in the middle of an edit, keys that must stay off the command line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, lstatSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../acct/helpers.ts';
import { binPath } from '../helpers/bins.ts';
import { DEV_SHM } from '../../acct/_edit-in-editor.ts';
import { TERMINATING_SIGNALS, signalExitCode } from '../../src/terminating-signals.ts';

const BIN = binPath('acct');
const root = tempDir('tspop-acct-safety-');
const CREDS = 'amqp:\n  default:\n    password: guest\n';
const KEY_LINE = /^[A-Za-z0-9_-]{43}=\n$/;

interface Run {
  readonly pid: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let n = 0;
function workdir(): string {
  const dir = join(root, `w${n++}`);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'creds.yml'), CREDS);
  return dir;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}, onSpawn?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: join(cwd, 'tmp'), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('spawn', () => onSpawn?.(child.pid as number));
    child.once('close', (code) => resolve({ pid: child.pid as number, code, stdout, stderr }));
  });
}

async function encrypted(): Promise<{ dir: string; file: string; key: string }> {
  const dir = workdir();
  const r = await run(['encrypt', 'creds.yml'], dir);
  expect(r.code).toBe(0);
  return { dir, file: join(dir, 'creds.yml.fernet'), key: r.stdout.trim() };
}

async function decrypts(dir: string, file: string, key: string): Promise<unknown> {
  const r = await run(['decrypt', file, '--output', 'json'], dir, { ACCT_KEY: key });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

function editor(dir: string, body: string): string {
  const path = join(dir, `ed${n++}.sh`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(cond()).toBe(true);
}

function editDirs(pid: number, dir: string): string[] {
  return [DEV_SHM, dir, join(dir, 'tmp')].flatMap((p) => (existsSync(p) ? readdirSync(p).filter((f) => f.startsWith(`acct-edit-${pid}-`)) : []));
}

describe('acct FILE (the seeds\' command line)', () => {
  it('encrypts, tells a person where and with which key on stderr, and prints the key alone on stdout', async () => {
    const dir = workdir();
    const r = await run(['creds.yml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(KEY_LINE);
    expect(r.stderr).toBe('New encrypted file created at: creds.yml.fernet\nThe file was encrypted with this key:\n');
    expect(await decrypts(dir, 'creds.yml.fernet', r.stdout.trim())).toEqual(parse(CREDS));
  });
});

describe('an existing acct file is never replaced by surprise', () => {
  it('a second encrypt without its key is refused and the first key keeps working; its key or --force may', async () => {
    const { dir, file, key } = await encrypted();
    const before = readFileSync(file);
    const again = await run(['encrypt', 'creds.yml'], dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('TSPOP_ERR_ACCT_FILE_EXISTS');
    expect(readFileSync(file).equals(before)).toBe(true);
    const wrong = await run(['encrypt', 'creds.yml'], dir, { ACCT_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(wrong.stderr).toContain('TSPOP_ERR_ACCT_FILE_EXISTS');
    expect(await run(['encrypt', 'creds.yml'], dir, { ACCT_KEY: key })).toMatchObject({ code: 0, stdout: '' });
    expect(await decrypts(dir, file, key)).toEqual(parse(CREDS));
    const forced = await run(['encrypt', 'creds.yml', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(await decrypts(dir, file, forced.stdout.trim())).toEqual(parse(CREDS));
  });

  it('two encrypts of one file at once: one wins, and the key it printed opens the file', async () => {
    const dir = workdir();
    const runs = await Promise.all([run(['encrypt', 'creds.yml'], dir), run(['encrypt', 'creds.yml'], dir), run(['encrypt', 'creds.yml'], dir)]);
    const won = runs.filter((r) => r.code === 0);
    expect(won).toHaveLength(1);
    for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toMatch(/TSPOP_ERR_ACCT_(FILE_EXISTS|LOCKED)/);
    expect(await decrypts(dir, 'creds.yml.fernet', (won[0] as Run).stdout.trim())).toEqual(parse(CREDS));
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('acct edit', () => {
  it('a second edit of the file while one is open is refused; the first edit is saved', async () => {
    const { dir, file, key } = await encrypted();
    const started = join(dir, 'started');
    const go = join(dir, 'go');
    const slow = editor(dir, `touch "${started}"\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\nsed -i "s/guest/first/" "$1"`);
    const first = run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: slow });
    await until(() => existsSync(started));
    const second = await run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, 'sed -i "s/guest/second/" "$1"') });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('TSPOP_ERR_ACCT_LOCKED');
    writeFileSync(go, '');
    expect((await first).code).toBe(0);
    expect(await decrypts(dir, file, key)).toEqual({ amqp: { default: { password: 'first' } } });
  });

  it('a change made meanwhile by a program that does not lock is not overwritten; the edit is kept, encrypted', async () => {
    const { dir, file, key } = await encrypted();
    const other = join(dir, 'other.fernet');
    writeFileSync(join(dir, 'other.yml'), 'amqp:\n  default:\n    password: changed\n');
    expect((await run(['encrypt', 'other.yml', '--output-file', other], dir, { ACCT_KEY: key })).code).toBe(0);
    const r = await run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, `sed -i "s/guest/mine/" "$1"\ncp "${other}" "${file}"`) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TSPOP_ERR_ACCT_CONFLICT');
    expect(await decrypts(dir, file, key)).toEqual({ amqp: { default: { password: 'changed' } } });
    const kept = readdirSync(dir).filter((f) => f.startsWith('creds.yml.fernet.edit-'));
    expect(kept).toHaveLength(1);
    expect(await decrypts(dir, kept[0] as string, key)).toEqual({ amqp: { default: { password: 'mine' } } });
  });

  it('--output-file is locked and checked too: a change made to it meanwhile is not overwritten', async () => {
    const { dir, key } = await encrypted();
    const out = join(dir, 'out.fernet');
    const other = join(dir, 'other.fernet');
    writeFileSync(join(dir, 'other.yml'), 'amqp:\n  default:\n    password: theirs\n');
    expect((await run(['encrypt', 'other.yml', '--output-file', other], dir, { ACCT_KEY: key })).code).toBe(0);
    copyFileSync(other, out);
    const later = join(dir, 'later.fernet');
    writeFileSync(join(dir, 'later.yml'), 'amqp:\n  default:\n    password: later\n');
    expect((await run(['encrypt', 'later.yml', '--output-file', later], dir, { ACCT_KEY: key })).code).toBe(0);
    const started = join(dir, 'started');
    const go = join(dir, 'go');
    const slow = editor(dir, `touch "${started}"\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\nsed -i "s/guest/mine/" "$1"\ncp "${later}" "${out}"`);
    const first = run(['edit', 'creds.yml.fernet', '--output-file', out], dir, { ACCT_KEY: key, EDITOR: slow });
    let second: Run;
    try {
      await until(() => existsSync(started));
      // a second edit writing to the same output waits for nobody: it is refused
      second = await run(['edit', 'other.fernet', '--output-file', out], dir, { ACCT_KEY: key, EDITOR: editor(dir, 'true') });
    } finally {
      writeFileSync(go, ''); // the first edit's editor must end whatever happened, or its process outlives the test
    }
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('TSPOP_ERR_ACCT_LOCKED');
    const r = await first;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TSPOP_ERR_ACCT_CONFLICT');
    expect(await decrypts(dir, out, key)).toEqual({ amqp: { default: { password: 'later' } } });
    const kept = readdirSync(dir).filter((f) => f.startsWith('out.fernet.edit-'));
    expect(kept).toHaveLength(1);
    expect(await decrypts(dir, kept[0] as string, key)).toEqual({ amqp: { default: { password: 'mine' } } });
  });

  it('edits through a symlink: the link stays, its target changes', async () => {
    const { dir, file, key } = await encrypted();
    mkdirSync(join(dir, 'real'));
    copyFileSync(file, join(dir, 'real', 'target.fernet'));
    symlinkSync(join('real', 'target.fernet'), join(dir, 'link.fernet'));
    const r = await run(['edit', 'link.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, 'sed -i "s/guest/through/" "$1"') });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(join(dir, 'link.fernet')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.fernet'))).toBe(join('real', 'target.fernet'));
    expect(await decrypts(dir, join('real', 'target.fernet'), key)).toEqual({ amqp: { default: { password: 'through' } } });
  });

  it('refuses edited text that is not UTF-8 and leaves the file alone', async () => {
    const { dir, file, key } = await encrypted();
    const before = readFileSync(file);
    const r = await run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, 'printf "a:\\n  b: caf\\351\\n" > "$1"') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TSPOP_ERR_ACCT_NOT_UTF8');
    expect(r.stderr).toContain('offset 11');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  const signals = TERMINATING_SIGNALS.filter((s) => s !== 'SIGINT');
  it(`removes the plaintext on every catchable terminating signal (${signals.join(', ')}) and exits 128+n`, async () => {
    await Promise.all(signals.map(async (signal) => {
      const { dir, file, key } = await encrypted();
      const before = readFileSync(file);
      const started = join(dir, 'started');
      let pid = 0;
      const done = run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, `touch "${started}"\nsleep 30`) }, (p) => (pid = p));
      await until(() => existsSync(started));
      expect(editDirs(pid, dir)).toHaveLength(1);
      process.kill(pid, signal); // to acct alone, as `kill` or a supervisor sends it
      const r = await done;
      expect({ signal, code: r.code }).toEqual({ signal, code: signalExitCode(signal) });
      expect(editDirs(pid, dir)).toEqual([]);
      expect(readFileSync(file).equals(before)).toBe(true);
    }));
  }, 180_000);

  it('the next edit removes what a SIGKILLed one left behind', async () => {
    const { dir, key } = await encrypted();
    const started = join(dir, 'started');
    let pid = 0;
    const done = run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, `touch "${started}"\nsleep 30`) }, (p) => (pid = p));
    await until(() => existsSync(started));
    process.kill(pid, 'SIGKILL');
    await done;
    expect(editDirs(pid, dir)).toHaveLength(1); // SIGKILL cannot be caught: documented
    await new Promise((r) => setTimeout(r, 11_000)); // the dead edit's lock goes stale
    const next = await run(['edit', 'creds.yml.fernet'], dir, { ACCT_KEY: key, EDITOR: editor(dir, 'true') });
    expect(next.code).toBe(0);
    expect(editDirs(pid, dir)).toEqual([]);
  }, 90_000);
});

describe('big files', () => {
  it('SIGTERM during a long parse stops acct encrypt at once (exit 143), writing nothing', async () => {
    const dir = workdir();
    let text = 'amqp:\n';
    for (let i = 0; i < 150_000; i++) text += `  p${i}:\n    host: h${i}\n    password: pw-${i}-abcdefgh\n`;
    writeFileSync(join(dir, 'huge.yml'), text);
    let pid = 0;
    const done = run(['encrypt', 'huge.yml'], dir, {}, (p) => (pid = p));
    await new Promise((r) => setTimeout(r, 2_500)); // started and busy parsing
    const t0 = Date.now();
    process.kill(pid, 'SIGTERM');
    const r = await done;
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('TSPOP_ERR_ACCT_INTERRUPTED');
    expect(existsSync(join(dir, 'huge.yml.fernet'))).toBe(false);
  }, 60_000);
});

describe('the key stays off the command line', () => {
  const withScript = existsSync('/usr/bin/script') ? it : it.skip;
  withScript('at a terminal, acct decrypt asks for the key and does not echo it', async () => {
    const { dir, key } = await encrypted();
    // util-linux script(1) gives acct a pseudo-terminal, as a person has
    const child = spawn('/usr/bin/script', ['-qec', `${process.execPath} ${BIN} decrypt creds.yml.fernet --output json`, '/dev/null'], {
      cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!typed && out.includes('Key for creds.yml.fernet: ')) {
        typed = true;
        child.stdin.write(`${key}\r`);
      }
    });
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(code).toBe(0);
    expect(out).not.toContain(key);
    expect(JSON.parse(out.slice(out.indexOf('{')).replace(/\r/g, ''))).toEqual(parse(CREDS));
  }, 60_000);

  it('--acct-key-file and ACCT_KEY_FILE read it from a file; giving two ways is a usage error', async () => {
    const { dir, file, key } = await encrypted();
    writeFileSync(join(dir, 'key'), `${key}\n`, { mode: 0o600 });
    const viaFlag = await run(['decrypt', file, '--acct-key-file', 'key', '--output', 'json'], dir);
    expect(viaFlag.code).toBe(0);
    expect(JSON.parse(viaFlag.stdout)).toEqual(parse(CREDS));
    expect((await run(['decrypt', file], dir, { ACCT_KEY_FILE: 'key' })).code).toBe(0);
    const both = await run(['decrypt', file, '--acct-key-file', 'key'], dir, { ACCT_KEY: key });
    expect(both.code).toBe(2);
    expect(both.stderr).not.toContain(key);
    const missing = await run(['decrypt', file, '--acct-key-file', 'nope'], dir);
    expect(missing.code).toBe(2);
  });
});
