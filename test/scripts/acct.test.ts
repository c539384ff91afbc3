/**
 * The `acct` CLI as users run it: `node dist/scripts/bin/acct.js ...` in a child process with a clean environment,
 * a private HOME, cwd and TMPDIR (so leftover temp files are visible).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itWith } from '../helpers/services.ts';
import { tempDir } from '../acct/helpers.ts';
import { DEV_SHM } from '../../acct/_edit-in-editor.ts';
import { binPath } from '../helpers/bins.ts';

const BIN = binPath('acct');
const root = tempDir('tspop-acct-cli-');
const KEY_LINE = /^[A-Za-z0-9_-]{43}=\n$/;
const CREDS = 'amqp:\n  default:\n    url: amqp://guest:guest@localhost:5672/\n    heartbeat: 30\n  backup:\n    url: amqp://b/\ndefault: default\n';
const PARSED = parse(CREDS);

interface Run {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

let n = 0;
/** A fresh folder with a `tmp/` for TMPDIR and the plaintext creds. */
function workdir(): { dir: string; tmp: string; creds: string } {
  const dir = join(root, `w${n++}`);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(dir, 'creds.yml'), CREDS);
  return { dir, tmp, creds: join(dir, 'creds.yml') };
}

function run(args: string[], opts: { cwd: string; env?: Record<string, string>; detached?: boolean; onSpawn?: (pid: number) => void }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, TMPDIR: join(opts.cwd, 'tmp'), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('spawn', () => opts.onSpawn?.(child.pid as number));
    child.once('close', (code, signal) => resolve({ pid: child.pid as number, code, signal, stdout, stderr }));
  });
}

/** `acct encrypt creds.yml` in a fresh workdir; returns the key it printed. */
async function encrypted(): Promise<{ dir: string; tmp: string; file: string; key: string }> {
  const w = workdir();
  const r = await run(['encrypt', 'creds.yml'], { cwd: w.dir });
  expect(r.code).toBe(0);
  return { ...w, file: join(w.dir, 'creds.yml.fernet'), key: r.stdout.trim() };
}

/**
 * `acct edit` temp folders of process `pid` wherever acct may put them: /dev/shm (memory), beside the acct file
 * in `dir`, TMPDIR.
 */
function editDirs(pid: number, dir: string): string[] {
  return [DEV_SHM, dir, join(dir, 'tmp')].flatMap((place) => {
    try {
      return readdirSync(place).filter((f) => f.startsWith(`acct-edit-${pid}-`)).map((f) => join(place, f));
    } catch {
      return [];
    }
  });
}

function editorScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

function expectOneLineError(r: Run, code: number, secret?: string): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^acct: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (secret) expect(r.stderr).not.toContain(secret);
}

describe('acct encrypt', () => {
  it('writes FILE.fernet (0600, atomically) and prints only the generated key', async () => {
    const w = workdir();
    const r = await run(['encrypt', 'creds.yml'], { cwd: w.dir });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(KEY_LINE);
    const file = join(w.dir, 'creds.yml.fernet');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(w.dir).sort()).toEqual(['creds.yml', 'creds.yml.fernet', 'tmp']);
    expect(readFileSync(file, 'latin1')).toMatch(/^gAAAAA[A-Za-z0-9_-]+={0,2}$/);
    const back = await run(['decrypt', 'creds.yml.fernet', '--acct-key', r.stdout.trim()], { cwd: w.dir });
    expect(back.code).toBe(0);
    expect(parse(back.stdout)).toEqual(PARSED);
  });

  it('prints nothing with --acct-key or ACCT_KEY, and honours --output-file', async () => {
    const { dir, key } = await encrypted();
    const given = await run(['encrypt', 'creds.yml', '--acct-key', key, '--output-file', 'out.bin'], { cwd: dir });
    expect(given).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(statSync(join(dir, 'out.bin')).mode & 0o777).toBe(0o600);
    const viaEnv = await run(['encrypt', 'creds.yml', '--output-file', 'env.bin'], { cwd: dir, env: { ACCT_KEY: key } });
    expect(viaEnv).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const back = await run(['decrypt', 'env.bin', '--output', 'json'], { cwd: dir, env: { ACCT_KEY: key } });
    expect(JSON.parse(back.stdout)).toEqual(PARSED);
  });

  it('reports a YAML syntax error with file, line and column, and a missing file', async () => {
    const w = workdir();
    writeFileSync(join(w.dir, 'bad.yml'), 'svc:\n  default:\n    password: hunter2\n    list: [1, 2\n');
    const r = await run(['encrypt', 'bad.yml'], { cwd: w.dir });
    expectOneLineError(r, 1, 'hunter2');
    expect(r.stderr).toMatch(/^acct: bad\.yml: YAML syntax error at line \d+, column \d+: .*\[TSPOP_ERR_ACCT_YAML\]\n$/);
    expect(existsSync(join(w.dir, 'bad.yml.fernet'))).toBe(false);
    const missing = await run(['encrypt', 'nope.yml'], { cwd: w.dir });
    expectOneLineError(missing, 1);
    expect(missing.stderr).toContain('nope.yml does not exist');
  });
});

describe('acct decrypt', () => {
  it('prints YAML by default and JSON with --output json; FILE may come from ACCT_FILE', async () => {
    const { dir, key } = await encrypted();
    const yaml = await run(['decrypt', 'creds.yml.fernet', '--acct-key', key], { cwd: dir });
    expect(yaml).toMatchObject({ code: 0, stderr: '' });
    expect(parse(yaml.stdout)).toEqual(PARSED);
    const json = await run(['decrypt', '--output', 'json'], { cwd: dir, env: { ACCT_FILE: 'creds.yml.fernet', ACCT_KEY: key } });
    expect(JSON.parse(json.stdout)).toEqual(PARSED);
  });

  it('wrong key, altered or truncated file: one line naming the file, exit 1, key never echoed', async () => {
    const { dir, file, key } = await encrypted();
    const other = (await run(['encrypt', 'creds.yml', '--output-file', 'x'], { cwd: dir })).stdout.trim();
    const token = readFileSync(file, 'latin1');
    writeFileSync(join(dir, 'altered.fernet'), `${token.slice(0, 50)}${token[50] === 'A' ? 'B' : 'A'}${token.slice(51)}`);
    writeFileSync(join(dir, 'truncated.fernet'), token.slice(0, token.length - 10));
    for (const [name, k] of [['creds.yml.fernet', other], ['altered.fernet', key], ['truncated.fernet', key]] as const) {
      const r = await run(['decrypt', name, '--acct-key', k], { cwd: dir });
      expectOneLineError(r, 1, k);
      expect(r.stderr).toContain(`cannot decrypt ${name}: wrong key or corrupted file`);
    }
  });

  it('ends quietly with exit 0 when its reader closes the pipe (| head -1)', async () => {
    const w = workdir();
    const big = `svc:\n${Array.from({ length: 20_000 }, (_, i) => `  p${i}:\n    password: pw${i}\n`).join('')}`;
    writeFileSync(join(w.dir, 'big.yml'), big);
    const key = (await run(['encrypt', 'big.yml'], { cwd: w.dir })).stdout.trim();
    const r = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'decrypt', 'big.yml.fernet'], {
        cwd: w.dir, env: { PATH: process.env.PATH ?? '', HOME: w.dir, ACCT_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString().split('\n')[0] as string;
        child.stdout.destroy(); // what `head -1` does after its line
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stderr, first }));
    });
    expect(r.first).toBe('svc:');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--verbose adds the stack trace', async () => {
    const { dir } = await encrypted();
    const other = (await run(['encrypt', 'creds.yml', '--output-file', 'x'], { cwd: dir })).stdout.trim();
    const r = await run(['decrypt', 'creds.yml.fernet', '--acct-key', other, '--verbose'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(other);
  });

  it('malformed key, missing key, missing file, no command', async () => {
    const { dir } = await encrypted();
    const bad = 'not-a-key-but-a-secret-looking-string';
    const malformed = await run(['decrypt', 'creds.yml.fernet', '--acct-key', bad], { cwd: dir });
    expectOneLineError(malformed, 1, bad);
    expect(malformed.stderr).toContain('acct key is malformed');
    const noKey = await run(['decrypt', 'creds.yml.fernet'], { cwd: dir });
    expectOneLineError(noKey, 2);
    expect(noKey.stderr).toContain('TSPOP_ERR_ACCT_KEY_MISSING');
    const missing = await run(['decrypt', 'gone.fernet', '--acct-key', bad], { cwd: dir });
    expectOneLineError(missing, 1, bad);
    expect(missing.stderr).toContain('gone.fernet does not exist');
    expect((await run([], { cwd: dir })).code).toBe(2);
    expect((await run(['decrpyt'], { cwd: dir })).code).toBe(2);
  });
});

describe('acct edit', () => {
  it('re-encrypts what the editor saved, with the same key, in place, leaving no temp files', async () => {
    const { dir, file, key } = await encrypted();
    const editor = editorScript(dir, 'ed.sh', 'sed -i "s/heartbeat: 30/heartbeat: 60/" "$1"');
    const r = await run(['edit', 'creds.yml.fernet', '--acct-key', key], { cwd: dir, env: { EDITOR: editor } });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back = await run(['decrypt', 'creds.yml.fernet', '--acct-key', key, '--output', 'json'], { cwd: dir });
    expect(JSON.parse(back.stdout).amqp.default.heartbeat).toBe(60);
    expect(editDirs(r.pid, dir)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });

  it.each([
    ['exits 1', 'exit 1', /editor .* exited with code 1/],
    ['kills itself with SIGINT', 'kill -INT $$\nsleep 5', /editor .* was stopped by SIGINT/],
    ['saves broken YAML', 'printf "a: [1\\n" > "$1"', /YAML syntax error at line \d+, column \d+.*was not changed/],
  ])('leaves the file untouched and cleans up when the editor %s', async (_name, body, message) => {
    const { dir, file, key } = await encrypted();
    const before = readFileSync(file);
    const editor = editorScript(dir, 'ed.sh', body);
    const r = await run(['edit', 'creds.yml.fernet', '--acct-key', key], { cwd: dir, env: { EDITOR: editor } });
    expectOneLineError(r, 1, key);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(editDirs(r.pid, dir)).toEqual([]);
  });

  it('cleans up on Ctrl-C to the whole process group, and on a second Ctrl-C while the editor ignores it', async () => {
    for (const [trap, expected] of [['', 1], ["trap '' INT", 130]] as const) {
      const { dir, file, key } = await encrypted();
      const before = readFileSync(file);
      const started = join(dir, 'started');
      const editor = editorScript(dir, 'ed.sh', `${trap}\ntouch "${started}"\nsleep 20`);
      let pid = 0;
      const done = run(['edit', 'creds.yml.fernet', '--acct-key', key], { cwd: dir, env: { EDITOR: editor }, detached: true, onSpawn: (p) => (pid = p) });
      for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 25));
      expect(existsSync(started)).toBe(true);
      expect(editDirs(pid, dir)).toHaveLength(1); // the edit folder exists while the editor runs
      process.kill(-pid, 'SIGINT');
      if (trap) {
        await new Promise((r) => setTimeout(r, 200));
        process.kill(-pid, 'SIGINT');
      }
      const r = await done;
      try {
        process.kill(-pid, 'SIGKILL'); // an editor that ignored Ctrl-C outlives acct
      } catch {
        // already gone
      }
      expect(r.code).toBe(expected);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(editDirs(pid, dir)).toEqual([]);
    }
  });

  it('creates a new file with a generated key, printed once', async () => {
    const w = workdir();
    const editor = editorScript(w.dir, 'ed.sh', 'printf "svc:\\n  default:\\n    token: t\\n" > "$1"');
    const r = await run(['edit', 'new.fernet'], { cwd: w.dir, env: { EDITOR: editor } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(KEY_LINE);
    const back = await run(['decrypt', 'new.fernet', '--acct-key', r.stdout.trim(), '--output', 'json'], { cwd: w.dir });
    expect(JSON.parse(back.stdout)).toEqual({ svc: { default: { token: 't' } } });
    const noKey = await run(['edit', 'new.fernet'], { cwd: w.dir, env: { EDITOR: editor } });
    expectOneLineError(noKey, 2);
  });
});

describe('acct and Python acct', () => {
  const pit = itWith('python');
  const py = (code: string, env: Record<string, string>) =>
    execFileSync('/usr/bin/python3', ['-c', `import json, os, msgpack\nfrom cryptography.fernet import Fernet\nK = os.environ["KEY"].encode()\n${code}`], {
      env: { ...env, PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });

  pit('acct decrypt reads a file Python wrote with msgpack + cryptography', async () => {
    const w = workdir();
    const key = py('print(Fernet.generate_key().decode())', { KEY: '' }).trim();
    const file = join(w.dir, 'py.fernet');
    py(`open(os.environ["OUT"], "wb").write(Fernet(K).encrypt(msgpack.packb(json.loads(os.environ["DATA"]))))`, { KEY: key, DATA: JSON.stringify(PARSED), OUT: file });
    const r = await run(['decrypt', 'py.fernet', '--acct-key', key, '--output', 'json'], { cwd: w.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(PARSED);
  });

  pit('Python reads a file acct encrypt wrote', async () => {
    const { file, key } = await encrypted();
    const out = py('print(json.dumps(msgpack.unpackb(Fernet(K).decrypt(open(os.environ["FILE"], "rb").read()), raw=False)))', { KEY: key, FILE: file });
    expect(JSON.parse(out)).toEqual(PARSED);
  });
});
