/**
 * The dragonfly CLI as a user runs it: separate processes against the real RabbitMQ, the seed's kv_store
 * tutorial end to end, exit codes (return_code / 100), one-line errors. Everything runs in this file's vhost.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { connect } from 'amqplib';
import { BROKER, createVhost, deleteVhost } from '../helpers/rabbitmq.ts';
import { itWith, requireService } from '../helpers/services.ts';

const it = itWith('rabbitmq');
const { available } = requireService('rabbitmq');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/scripts/bin/dragonfly.js', import.meta.url));
const TUTORIAL = 'plugins/dripline/examples/kv_store_tutorial.yaml';

let vhost: string;
const mesh = () => ['-b', '127.0.0.1', '--vhost', vhost];

async function dragonfly(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * `dragonfly(...)` for a step expected to succeed: the machine's broker is shared with other test runs, which may
 * restart it (stop_app / start_app), so a step that met that outage (no broker, its request lost, the service's queue not yet
 * re-declared) is run again rather than failed.
 */
async function dragonflyOk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  for (let attempt = 1; ; attempt++) {
    const r = await dragonfly(...args);
    const transient = (r.code === 1 || r.code === 4) && /cannot connect to the broker|no reply from|nothing is bound/.test(r.stderr);
    if (!transient || attempt === 4) return r;
    await new Promise((res) => setTimeout(res, 2000));
  }
}

interface Running {
  readonly proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running subcommand and waits until its stderr says it is ready. */
function start(args: string[], ready: RegExp): Promise<Running> {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const running: Running = {
    proc,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      proc.kill('SIGINT');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${args.join(' ')}\n${err}`)), 30_000);
    proc.stderr?.on('data', (d: Buffer) => {
      err += d;
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve(running);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready: ${args.join(' ')}\n${err}`));
    });
  });
}

interface Printed {
  exchange: string;
  routingKey: string;
  type: string;
  from: string;
  body: Record<string, unknown>;
}

/** The messages a monitor printed: a header line, then the message (or payload) as indented JSON. */
function printed(stdout: string): Printed[] {
  const head = /^\S+ \[(\S+)\] (\S+) \((\w+) from (\S+)\)$/gm;
  const heads = [...stdout.matchAll(head)];
  return heads.map((m, i) => ({
    exchange: m[1] as string, routingKey: m[2] as string, type: m[3] as string, from: m[4] as string,
    body: JSON.parse(stdout.slice((m.index as number) + m[0].length, heads[i + 1]?.index ?? stdout.length)) as Record<string, unknown>,
  }));
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

let serve: Running;

beforeAll(async () => {
  if (!available) return;
  vhost = await createVhost();
  serve = await start(['serve', '-c', TUTORIAL, ...mesh(), '--heartbeat-interval-s', '0.5'], /my_store is running/);
}, 60_000);

afterAll(async () => {
  if (!available) return;
  expect(await serve.stop()).toBe(0);
  await deleteVhost(vhost);
});

// the broker is shared with other test runs on this machine, which may restart it: a test that met the outage runs again
describe('dragonfly: the seed\'s kv_store tutorial', { retry: 2 }, () => {
  it('serve, monitor -e requests, get peaches, set chips 1.79, get chips', async () => {
    const monitor = await start(['monitor', '-e', 'requests', ...mesh()], /listening on requests/);
    const alerts = await start(['monitor', '-k', 'sensor_value.#', '-po', ...mesh()], /listening on alerts/);
    try {

    const peaches = await dragonflyOk('get', 'peaches', ...mesh());
    expect(peaches).toMatchObject({ code: 0, stderr: '' });
    expect(peaches.stdout).toBe("peaches(ret:0): {'value_cal': 1.5, 'value_raw': '0.75'}\n");

    const set = await dragonflyOk('set', 'chips', '1.79', ...mesh());
    expect(set.code).toBe(0);
    expect(set.stdout).toBe("chips->1.79(ret:0): {'value_cal': 5.37, 'value_raw': '1.79'}\n");

    const chips = await dragonflyOk('get', 'chips', ...mesh());
    expect(chips.stdout).toBe("chips(ret:0): {'value_cal': 5.37, 'value_raw': '1.79'}\n");

      // the requests monitor saw each request and its reply; the alerts monitor the log_on_set value of chips
      await until(() => printed(monitor.stdout()).length >= 6 && alerts.stdout().includes('sensor_value.chips'));
      const seen = printed(monitor.stdout());
      expect(seen.map((m) => `${m.type} ${m.type === 'request' ? m.routingKey : m.from}`)).toEqual([
        'request peaches', 'reply my_store', 'request chips', 'reply my_store', 'request chips', 'reply my_store',
      ]);
      expect(seen[0]?.body).toMatchObject({ message_type: 3, message_operation: 1, routing_key: 'peaches', payload: null });
      expect(seen[1]?.body).toMatchObject({ message_type: 2, return_code: 0, payload: { value_cal: 1.5, value_raw: '0.75' } });
      expect(seen[2]?.body).toMatchObject({ message_operation: 0, payload: { values: [1.79] } });
      expect(alerts.stdout()).toMatch(/\[alerts\] sensor_value\.chips \(alert from my_store\)\n\{\n {2}"value_raw": "1\.79",\n {2}"value_cal": 5\.37\n\}/);
    } finally {
      expect(await monitor.stop()).toBe(0);
      expect(await alerts.stop()).toBe(0);
    }
  });

  it('--json prints the whole reply; -s reads an attribute; config is the seed\'s spelling of it', async () => {
    const json = await dragonflyOk('get', 'waffles', '--json', ...mesh());
    expect(JSON.parse(json.stdout)).toMatchObject({ message_type: 2, return_code: 0, payload: { value_raw: '4.0', value_cal: 4 }, sender_info: { service_name: 'my_store' } });
    expect((await dragonflyOk('get', 'peaches', '-s', 'calibration', ...mesh())).stdout).toBe("peaches(ret:0): {'values': ['2*{}']}\n");
    expect((await dragonflyOk('config', 'peaches', 'calibration', ...mesh())).stdout).toBe("peaches->calibration(ret:0): {'values': ['2*{}']}\n");
  });

  it('lock and unlock with -k, and broadcast ping', async () => {
    const locked = await dragonflyOk('cmd', 'my_store', '-s', 'lock', ...mesh());
    try {
      const key = /'key': '([0-9a-f-]{36})'/.exec(locked.stdout)?.[1] as string;
      expect(key).toBeDefined();
      const denied = await dragonflyOk('set', 'waffles', '5', ...mesh());
      expect(denied.code).toBe(3);
      expect(denied.stdout).toMatch(/^waffles->5\(ret:307\)/);
      expect(denied.stderr).toMatch(/Request denied due to lockout/);
      expect((await dragonflyOk('set', 'waffles', '5', '-k', key, ...mesh())).code).toBe(0);
      expect((await dragonflyOk('cmd', 'my_store', '-s', 'unlock', '-k', key, ...mesh())).code).toBe(0);
    } finally {
      // a retried run must not find the service still locked
      await dragonflyOk('cmd', 'my_store', '-s', 'unlock', 'force=true', ...mesh());
    }
    const ping = await dragonflyOk('cmd', 'broadcast', '-s', 'ping', '-t', '1', ...mesh());
    expect(ping.stdout).toMatch(/^broadcast\(ret:0\): \{\}$/m);
  });
});

describe('dragonfly exit codes and errors', { retry: 2 }, () => {
  it('a service error exits return_code / 100 and prints the return message on stderr', async () => {
    const r = await dragonflyOk('get', 'peaches', '-s', 'nope', ...mesh());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('peaches(ret:310): {}\n');
    expect(r.stderr).toBe('dragonfly: return message: endpoint peaches has no attribute nope, unable to get\n');
  });

  it('unroutable is 403: exit 4, one line', async () => {
    const r = await dragonfly('get', `nobody_${randomUUID().slice(0, 8)}`, ...mesh());
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/return code 403/);
  });

  it('no reply within -t is 404: exit 4', async () => {
    // something that takes requests and never answers
    const conn = await connect({ ...BROKER, vhost });
    const ch = await conn.createChannel();
    const key = `silent_${randomUUID().slice(0, 8)}`;
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.assertExchange('requests', 'topic', { durable: false, autoDelete: false });
    await ch.bindQueue(queue, 'requests', `${key}.#`);
    try {
      const t0 = Date.now();
      const r = await dragonfly('get', key, '-t', '1', ...mesh());
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/no reply from silent_\w+ within 1 s \(return code 404\)/);
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      await conn.close();
    }
  });

  it('an unreachable broker is 101: exit 1 with one line and no stack trace', async () => {
    const r = await dragonfly('get', 'peaches', '-b', '127.0.0.1:1');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dragonfly: cannot connect to the broker at 127\.0\.0\.1:1: .*ECONNREFUSED.*\(return code 101\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad command line exits 2; -h and -V exit 0', async () => {
    expect((await dragonfly('gett', 'peaches')).code).toBe(2);
    expect((await dragonfly('get')).code).toBe(2);
    expect((await dragonfly('get', 'x', '--bogus')).stderr).toMatch(/unknown option --bogus/);
    const help = await dragonfly('-h');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: dragonfly .*\{get,set,cmd,config,run,send,monitor,serve,watchdog\}/);
    expect((await dragonfly('monitor', '-h')).stdout).toMatch(/-po, --payload-only/);
    expect((await dragonfly('-V')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('serve with a broken config exits 1 naming the file; a second service of one name fails to start', async () => {
    const broken = await dragonfly('serve', '-c', 'test/fixtures/dripline/no-such.yaml', ...mesh());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/no-such\.yaml.*TSPOP_ERR_DRIPLINE_CONFIG_FILE/);
    const second = await dragonfly('serve', '-c', TUTORIAL, ...mesh());
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/a service named my_store is already running on this mesh.*TSPOP_ERR_DRIPLINE_CONFIG/);
    expect((await dragonflyOk('get', 'peaches', ...mesh())).code).toBe(0);
  });

  it('watchdog --once: 0 when heartbeats arrive within the interval, 1 when nothing does', async () => {
    expect((await dragonfly('watchdog', '-k', 'heartbeat.my_store', '-i', '3', '--once', ...mesh())).code).toBe(0);
    const quiet = await dragonfly('watchdog', '-k', 'heartbeat.nobody', '-i', '1', '--once', ...mesh());
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/watchdog: nothing on alerts for heartbeat\.nobody within 1 s/);
  });
});
