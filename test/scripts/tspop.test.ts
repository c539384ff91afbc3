import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binPath } from '../helpers/bins.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tspop = (args: string[], cwd = repo) => spawnSync(process.execPath, [binPath('tspop'), ...args], { cwd, encoding: 'utf8' });

describe('tspop CLI', () => {
  it('--help lists the tree command and global options', () => {
    const r = tspop(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: tspop/);
    expect(r.stdout).toMatch(/tree/);
    expect(r.stdout).toMatch(/--verbose/);
  });

  it('tree --json describes every dyne with functions, parameters and files', () => {
    const out = execFileSync(process.execPath, [binPath('tspop'), 'tree', 'acct', '--json'], { cwd: repo, encoding: 'utf8' });
    const tree = JSON.parse(out) as Array<{ name: string; subs: Array<{ name: string; modules: Array<{ name: string; functions: Array<{ name: string; params: string[]; file: string }> }> }> }>;
    const crypto = tree[0]?.subs.find((s) => s.name === 'crypto');
    const fernet = crypto?.modules.find((m) => m.name === 'fernet');
    expect(fernet?.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['decrypt', 'encrypt', 'generateKey']));
    expect(fernet?.functions.find((f) => f.name === 'encrypt')?.params.slice(0, 2)).toEqual(['data', 'key']);
    // the compiled bin runs the compiled plugins (dist/), sources run their own
    expect(fernet?.functions[0]?.file).toMatch(/^(dist\/)?acct\/crypto\/fernet\.[jt]s$/);
  });

  it('an unknown flag is a one-line usage error, exit 2, no stack trace', () => {
    const r = tspop(['tree', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--bogus.*TSPOP_ERR_CONFIG_UNKNOWN_FLAG/);
  });

  it('--verbose adds the stack trace', () => {
    const r = tspop(['tree', '--bogus', '--verbose']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('tree of an unknown dyne names it and the known ones', () => {
    const r = tspop(['tree', 'nosuchdyne']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nosuchdyne.*known dynes: .*acct/);
  });
});

/**
 * A second copy of tspop in the folder a bin runs in (a global install inside a project that depends on tspop, the
 * tspop repository as the host) is that same project: its conf is taken once, the running copy's.
 */
describe('tspop bins next to another copy of tspop', () => {
  const copyOfTspop = (dir: string, pkg: Record<string, unknown>) => {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tspop', version: '0.0.1', type: 'module', tspop: { conf: 'dist/conf.js' }, ...pkg }));
    copyFileSync(join(repo, 'dist/conf.js'), join(dir, 'dist/conf.js'));
  };
  const helpIn = (cwd: string) =>
    ['tspop', 'acct', 'evbus-test'].map((bin) => {
      const r = spawnSync(process.execPath, [binPath(bin), '--help'], { cwd, encoding: 'utf8' });
      return { bin, status: r.status, stderr: r.stderr };
    });
  const ok = ['tspop', 'acct', 'evbus-test'].map((bin) => ({ bin, status: 0, stderr: '' }));

  it('a host whose node_modules/tspop is another copy', () => {
    const host = mkdtempSync(join(tmpdir(), 'tspop-two-copies-'));
    try {
      writeFileSync(join(host, 'package.json'), JSON.stringify({ name: 'host', type: 'module', dependencies: { tspop: '*' } }));
      copyOfTspop(join(host, 'node_modules/tspop'), {});
      expect(helpIn(host)).toEqual(ok);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });

  it('a host that is itself a copy of tspop (its repository, with a conf of its own)', () => {
    const host = mkdtempSync(join(tmpdir(), 'tspop-two-copies-'));
    try {
      copyOfTspop(host, {});
      copyFileSync(join(repo, 'dist/conf.js'), join(host, 'conf.js'));
      expect(helpIn(host)).toEqual(ok);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });
});
