/**
 * Real etcd for tests: single members and three-member clusters on free loopback ports, each in its own temp
 * folder, killed and removed when the test is done (and on process exit, should a test forget). Writes go
 * through etcdctl so the test process's only etcd connections are the ones under test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);
export const ETCD = '/usr/bin/etcd';
export const ETCDCTL = '/usr/bin/etcdctl';

export interface EtcdMember {
  readonly name: string;
  /** `127.0.0.1:<client port>` */
  readonly endpoint: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  /** The member's id as etcd prints it (hex), once started. */
  id: string;
  process: ChildProcess | undefined;
}

export interface EtcdCluster {
  readonly members: EtcdMember[];
  /** `host:port` of every member, for ETCD_ENDPOINTS. */
  readonly endpoints: string[];
  /** SIGKILL one member and wait until it is gone. */
  kill(name: string): Promise<void>;
  /** Start a killed member again on its data folder and ports. */
  restart(name: string): Promise<void>;
  /** Kill everything and remove the folders. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Runs etcdctl (v3 API) against `endpoints`; resolves with its stdout. */
export async function etcdctl(endpoints: readonly string[], ...args: string[]): Promise<string> {
  const { stdout } = await run(ETCDCTL, [`--endpoints=${endpoints.join(',')}`, '--dial-timeout=5s', '--command-timeout=20s', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    timeout: 60_000,
  });
  return stdout;
}

/** One etcd transaction putting every pair (`etcdctl txn`), so they share one revision. */
export async function etcdTxn(endpoints: readonly string[], puts: Readonly<Record<string, string>>): Promise<void> {
  // compares (none), a blank line, the success ops, a blank line, the failure ops (none), a blank line
  const body = `\n${Object.entries(puts).map(([k, v]) => `put ${k} ${JSON.stringify(v)}`).join('\n')}\n\n\n`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ETCDCTL, [`--endpoints=${endpoints.join(',')}`, '--command-timeout=20s', 'txn'], { env: { ...process.env, ETCDCTL_API: '3' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 && out.includes('SUCCESS') ? resolve() : reject(new Error(`etcdctl txn exited ${code}: ${out}`))));
    child.stdin.end(body);
  });
}

function spawnMember(m: EtcdMember, cluster: string, state: 'new' | 'existing', token: string): ChildProcess {
  const log = openSync(join(m.dataDir, '..', `${m.name}.log`), 'a');
  const child = spawn(ETCD, [
    `--name=${m.name}`,
    `--data-dir=${m.dataDir}`,
    `--listen-client-urls=http://127.0.0.1:${m.clientPort}`,
    `--advertise-client-urls=http://127.0.0.1:${m.clientPort}`,
    `--listen-peer-urls=http://127.0.0.1:${m.peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${m.peerPort}`,
    `--initial-cluster=${cluster}`,
    `--initial-cluster-state=${state}`,
    `--initial-cluster-token=${token}`,
    // a shared, busy machine: leader elections must not flap because a member missed a few heartbeats
    '--heartbeat-interval=200',
    '--election-timeout=2000',
    '--logger=zap',
  ], { stdio: ['ignore', log, log] });
  closeSync(log);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

async function healthy(m: EtcdMember): Promise<void> {
  // `endpoint health` exits 0 only when the member commits a proposal (it prints to stderr)
  await waitFor(async () => (await etcdctl([m.endpoint], 'endpoint', 'health'), true), `etcd member ${m.name} to be healthy`, 60_000, 200);
}

/** Starts `size` members (1 or 3) on free loopback ports; resolves when every member is healthy. */
export async function startEtcd(size = 1): Promise<EtcdCluster> {
  const root = mkdtempSync(join(tmpdir(), 'tspop-etcd-'));
  const token = `tspop-${process.pid}-${Date.now()}`;
  const members: EtcdMember[] = [];
  for (let i = 1; i <= size; i++) {
    members.push({ name: `m${i}`, endpoint: '', clientPort: await freePort(), peerPort: await freePort(), dataDir: join(root, `m${i}`), id: '', process: undefined });
  }
  for (const m of members) (m as { endpoint: string }).endpoint = `127.0.0.1:${m.clientPort}`;
  const cluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  for (const m of members) m.process = spawnMember(m, cluster, 'new', token);
  const byName = (name: string): EtcdMember => {
    const m = members.find((x) => x.name === name);
    if (!m) throw new Error(`no etcd member ${name}`);
    return m;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(members.map((m) => killMember(m)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map(healthy));
    const list = await etcdctl(members.map((m) => m.endpoint), 'member', 'list');
    for (const line of list.trim().split('\n')) {
      const [id, , name] = line.split(',').map((s) => s.trim());
      if (id && name) byName(name).id = id;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    members,
    endpoints: members.map((m) => m.endpoint),
    kill: (name) => killMember(byName(name)),
    restart: async (name) => {
      const m = byName(name);
      m.process = spawnMember(m, cluster, 'existing', token);
      await healthy(m);
    },
    stop,
  };
}

async function killMember(m: EtcdMember): Promise<void> {
  const p = m.process;
  m.process = undefined;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}
