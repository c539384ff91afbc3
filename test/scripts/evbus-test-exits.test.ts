/**
 * evbus-test's exits as a user meets them: bad values are usage errors (exit 2), one failure is one line, it
 * listens until Ctrl-C, and a drain that cannot finish (broker unreachable) gives up in time, says what it
 * could not deliver and exits 1. Also pop-evbus's own command lines through the `evbus_test` alias.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG, CLI_CONFIG } from '../../conf.ts';
import { tempDir } from '../acct/helpers.ts';
import { itWith } from '../helpers/services.ts';
import { binPath } from '../helpers/bins.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => binPath(name);
const acctBin = bin('acct');
const dir = tempDir('tspop-evbus-exits-');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], opts: { name?: string; env?: Record<string, string>; signalAfter?: (out: { stdout: string; ms: number }) => NodeJS.Signals | undefined } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [bin(opts.name ?? 'evbus-test'), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...opts.env } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setInterval(() => {
      const sig = sent ? undefined : opts.signalAfter?.({ stdout, ms: Date.now() - t0 });
      if (sig) {
        sent = true;
        child.kill(sig);
      }
    }, 50);
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** An acct file (and its key file) for `profiles`, made with the acct CLI. */
async function acctFile(name: string, yaml: string): Promise<{ file: string; keyFile: string; key: string }> {
  writeFileSync(join(dir, `${name}.yml`), yaml);
  const key = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [acctBin, 'encrypt', `${name}.yml`, '--force'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
  writeFileSync(join(dir, `${name}.key`), key);
  return { file: join(dir, `${name}.yml.fernet`), keyFile: join(dir, `${name}.key`), key };
}

const oneLine = (r: Run) => expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);

describe('evbus-test: usage errors, exit 2', () => {
  // every option of evbus-test and evbus that has a lower bound, one below it: a new bounded option is covered
  const bounded = Object.entries(CONFIG).filter(([, def]) => def.min !== undefined && (def.dyne === 'evbus-test' || def.dyne === 'evbus'));
  it.each(bounded.map(([key, def]) => [key, def]))('%s below its minimum', async (key, def) => {
    const value = (def.min as number) - 1;
    const onCli = CLI_CONFIG[key] !== undefined;
    writeFileSync(join(dir, `${key}.yml`), `${def.dyne}:\n  ${key}: ${value}\n`);
    const args = onCli ? [`--${key.replace(/_/g, '-')}`, String(value), '--random'] : ['--config', `${key}.yml`, '--random'];
    const r = await run(args);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('TSPOP_ERR_CONFIG_TYPE');
  });

  it('an unknown serial plugin', async () => {
    const r = await run(['--serial-plugin', 'nope', '--random', '--count', '1']);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('TSPOP_ERR_EVBUS_SERIAL');
  });
});

describe('evbus-test: listening', () => {
  it('without --random it listens until Ctrl-C, then exits 0', async () => {
    const r = await run([], { signalAfter: ({ ms }) => (ms > 3000 ? 'SIGINT' : undefined) });
    expect(r.ms).toBeGreaterThan(3000);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('evbus-test: SIGINT: finishing queued work (send it again to exit now)\n');
  });
});

describe('evbus-test with amqp profiles', () => {
  const rit = itWith('rabbitmq');

  rit('a refused login is one line, exit 1', async () => {
    const { file, keyFile } = await acctFile('refused', 'amqp:\n  default:\n    host: 127.0.0.1\n    username: guest\n    password: not-the-password\n    ingress_channels: [tspop-exits]\n');
    const r = await run(['--random', '--count', '1', '--acct-file', file, '--acct-key-file', keyFile]);
    expect(r.code).toBe(1);
    oneLine(r);
    expect(r.stderr).toMatch(/refused the login.*TSPOP_ERR_EVBUS_AMQP_PROFILE/);
    expect(r.stderr).not.toContain('not-the-password');
  });

  it('a bad profile is one line, exit 1', async () => {
    const { file, keyFile } = await acctFile('bad', 'amqp:\n  default:\n    host: 127.0.0.1\n    bogus: 1\n');
    const r = await run(['--random', '--count', '1', '--acct-file', file, '--acct-key-file', keyFile]);
    expect(r.code).toBe(1);
    oneLine(r);
    expect(r.stderr).toContain('TSPOP_ERR_EVBUS_AMQP_PROFILE');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('an unreachable broker: %s drains for --drain-timeout, names what was not delivered, exits 1', async (signal) => {
    const { file, keyFile } = await acctFile('down', 'amqp:\n  default:\n    host: 127.0.0.1\n    port: 1\n    ingress_channels: [q]\n');
    const r = await run(['--random', '--random-period', '50', '--output', 'json', '--acct-file', file, '--acct-key-file', keyFile, '--drain-timeout', '2'], {
      signalAfter: ({ stdout }) => (stdout.split('\n').length > 4 ? signal : undefined),
    });
    expect(r.code).toBe(1);
    const printed = r.stdout.trimEnd().split('\n').length;
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3); // not reachable (once), the signal, what was not delivered
    expect(lines[0]).toMatch(/amqp connect failed; retrying .*profile=amqp\/default .*attempt=1/);
    expect(lines[2]).toMatch(new RegExp(`gave up after 2 s waiting for deliveries: ${printed} events for amqp amqp/default not delivered \\[TSPOP_ERR_EVBUS_DRAIN_TIMEOUT\\]`));
  });
});

describe('evbus_test: pop-evbus\'s own command lines', () => {
  it('evbus_test --output json --random (with a count to end it)', async () => {
    const r = await run(['--output', 'json', '--random', '--random-period', '10', '--count', '2'], { name: 'evbus_test' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { number: number }).number)).toEqual([0, 1]);
  });

  it('evbus_test names itself in its usage line and its errors, as a bin run by that name should', async () => {
    const help = await run(['--help'], { name: 'evbus_test' });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: evbus_test \[options\]/);
    const bad = await run(['--outptu', 'json'], { name: 'evbus_test' });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('evbus_test: unknown option --outptu (did you mean --output?) [TSPOP_ERR_CONFIG_UNKNOWN_FLAG]\n');
  });

  itWith('rabbitmq')('evbus_test --acct-file=... --acct-key=... (events also reach the broker)', async () => {
    const { file, key } = await acctFile('good', 'amqp:\n  default:\n    host: 127.0.0.1\n    username: guest\n    password: guest\n    ingress_channels: [tspop-evbus-test-alias]\n');
    const r = await run([`--acct-file=${file}`, `--acct-key=${key}`, '--random', '--random-period', '10', '--count', '1', '--output', 'json'], { name: 'evbus_test' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});
void root;
