import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { binPath } from '../helpers/bins.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = binPath('evbus-test');

async function evbusTest(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface RandomEvent {
  number: number;
  timestamp: number;
  data: string;
}

function checkEvents(events: RandomEvent[]): void {
  events.forEach((e, i) => {
    expect(e.number).toBe(i);
    expect(typeof e.timestamp).toBe('number');
    expect(e.data).toMatch(/^\d{7}$/);
  });
}

describe('evbus-test', () => {
  it('--random --count 5 --output json prints 5 JSON lines (JSON Lines) and exits 0', async () => {
    const { code, stdout, stderr } = await evbusTest('--random', '--random-period', '10', '--count', '5', '--output', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const events = lines.map((l) => JSON.parse(l) as RandomEvent);
    checkEvents(events);
    expect(Date.now() / 1000 - (events[0] as RandomEvent).timestamp).toBeLessThan(60);
  });

  it('--output yaml prints one YAML document per event; --serial-plugin msgpack changes nothing visible', async () => {
    const { code, stdout } = await evbusTest('--random', '--random-period', '1', '--count', '3', '--output', 'yaml', '--serial-plugin', 'msgpack');
    expect(code).toBe(0);
    checkEvents(parseAllDocuments(stdout).map((d) => d.toJS() as RandomEvent));
  });

  it('prints nested (pop\'s default outputter) by default: key blocks and a dashed rule per event', async () => {
    const { code, stdout } = await evbusTest('--random', '--random-period', '1', '--count', '2');
    expect(code).toBe(0);
    const blocks = stdout.split(`${'-'.repeat(80)}\n`);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/^number:\n {4}0\ntimestamp:\n {4}[\d.]+\ndata:\n {4}\d{7}\n$/);
  });

  it('Ctrl-C stops putting, drains and exits 0 with every event it printed intact', async () => {
    const child = spawn(process.execPath, [bin, '--random', '--random-period', '20', '--output', 'json'], { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => {
      const check = () => (stdout.split('\n').length > 3 ? resolve() : setTimeout(check, 10));
      check();
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(stderr).toBe('evbus-test: SIGINT: finishing queued work (send it again to exit now)\n');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    checkEvents(lines.map((l) => JSON.parse(l) as RandomEvent));
  });

  it('takes --ingress-profiles (the internal default profile is exempt from the allow-list)', async () => {
    const { code, stdout } = await evbusTest('--random', '--random-period', '1', '--count', '2', '--output', 'json', '--ingress-profiles', 'a', 'b');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('a bad flag value is a one-line usage error, exit 2', async () => {
    const { code, stdout, stderr } = await evbusTest('--output', 'xml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^evbus-test: .*xml.*\[TSPOP_ERR_CONFIG_CHOICE\]/);
  });

  it('a missing acct file is a one-line coded error, exit 1', async () => {
    const { code, stderr } = await evbusTest('--random', '--count', '1', '--acct-file', '/nonexistent/creds.fernet', '--acct-key', 'k');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^evbus-test: .*\[TSPOP_ERR_ACCT_[A-Z_]+\]\n$/);
  });
});
