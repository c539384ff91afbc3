/**
 * What users of other CLIs expect of every tspop bin and of a runCli host: --version, a --help of its own
 * options only (with --verbose), and a broken host conf.ts reported once without stopping work that does not
 * need it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { fixture } from '../helpers/fixtures.ts';
import { tempDir } from '../acct/helpers.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const BINS = Object.keys((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);
const binPath = (name: string) => join(repo, (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[name] as string);
const bin = (name: string, args: string[], cwd = repo) =>
  spawnSync(process.execPath, [binPath(name), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd } });

describe.each(BINS)('%s', (name) => {
  it('--version prints the package version alone and exits 0', () => {
    const r = bin(name, ['--version']);
    expect(r).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('--help shows its own options: no host option, no other CLI\'s file-only acct options, --verbose', () => {
    const r = bin(name, ['--help'], fixture('config-host'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--verbose');
    expect(r.stdout).not.toContain('acct_profile');
    if (!name.startsWith('acct')) expect(r.stdout).not.toMatch(/acct\.(input_file|output_file|editor|output|crypto_plugin)/);
  });
});

describe('a runCli host', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    const grab = (chunk: string | Uint8Array): boolean => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(grab as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(grab as typeof process.stderr.write);
  });
  afterEach(() => vi.restoreAllMocks());
  const host = (argv: string[], root = fixture('cli-host'), main = async () => 0) => runCli({ name: 'cli-host', root, config: ['cli-host'], argv, main });

  it('lists --verbose in its help and accepts it on any subcommand', async () => {
    expect(await host(['--help'])).toBe(0);
    expect(out).toMatch(/^ {2}--verbose +on errors, also print the stack trace$/m);
    expect(await host(['serve', '--verbose'])).toBe(0);
  });

  it('--verbose prints the stack of a failure', async () => {
    expect(await host(['--verbose'], fixture('cli-host'), async () => {
      throw new Error('boom');
    })).toBe(1);
    expect(out).toMatch(/^cli-host: boom\n.*\n\s+at /s);
  });

  it('takes its --version from its package.json, or has none', async () => {
    const root = tempDir('tspop-cli-version-');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'cli-host', version: '3.2.1' }));
    writeFileSync(join(root, 'conf.ts'), readFileSync(join(fixture('cli-host'), 'conf.ts')));
    expect(await host(['--version'], root)).toBe(0);
    expect(out).toBe('3.2.1\n');
    out = '';
    expect(await host(['--version'])).toBe(2);
  });
});

describe('a broken host conf.ts', () => {
  const dir = tempDir('tspop-broken-conf-');
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'broken-host', type: 'module' }));
  writeFileSync(join(dir, 'conf.ts'), 'export const CONFIG = {\n  port: { default: 1\n};\n');
  writeFileSync(join(dir, 'creds.yml'), 'amqp:\n  default:\n    password: x\n');
  const oneWarning = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(join(dir, 'conf.ts'));
  };

  it.each(BINS.map((b) => [b]))('is one line from %s, whose --help and --version still work', (name) => {
    for (const flag of ['--help', '--version']) {
      const r = bin(name, [flag], dir);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toBe('');
      oneWarning(r.stderr);
    }
  });

  it('does not stop work that does not need it (acct encrypt, tspop tree acct)', () => {
    const enc = bin('acct', ['encrypt', 'creds.yml'], dir);
    expect(enc.status).toBe(0);
    expect(enc.stdout).toMatch(/^[A-Za-z0-9_-]{43}=\n$/);
    oneWarning(enc.stderr);
    const tree = bin('tspop', ['tree', 'acct'], dir);
    expect(tree.status).toBe(0);
    oneWarning(tree.stderr);
  });

  it('is the one error line of the host\'s own CLI, which cannot run without it', async () => {
    let out = '';
    const grab = (chunk: string | Uint8Array): boolean => {
      out += String(chunk);
      return true;
    };
    vi.spyOn(process.stderr, 'write').mockImplementation(grab as typeof process.stderr.write);
    vi.spyOn(process.stdout, 'write').mockImplementation(grab as typeof process.stdout.write);
    try {
      const code = await runCli({ name: 'broken-host', root: dir, config: ['broken-host'], argv: ['--help'], main: async () => 0 });
      expect(code).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^broken-host: cannot load .*conf\.ts.*TSPOP_ERR_CONF_LOAD/);
  });
});
