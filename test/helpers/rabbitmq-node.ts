/**
 * A second, standalone RabbitMQ node for failover tests, started from Debian's rabbitmq-server as a child of the
 * test: its own node name, free loopback AMQP and distribution ports, and everything it writes (data, logs,
 * config, crash dump, its own Erlang cookie under its own HOME) in a temp folder. It is not clustered with the
 * machine's broker, and it never reads or touches /var/lib/rabbitmq.
 *
 * How it runs as root: /usr/sbin/rabbitmq-server is Debian's wrapper, which cd's to /var/lib/rabbitmq and `su`s
 * to the rabbitmq user (whose HOME holds the machine broker's cookie). We skip the wrapper and run the real script
 * (/usr/lib/rabbitmq/bin/rabbitmq-server) directly as the current user, with RABBITMQ_CONF_ENV_FILE pointing at an
 * empty file of ours so /etc/rabbitmq/rabbitmq-env.conf (NODENAME=rabbit@localhost) is not read either. The node
 * registers with the machine's epmd (shared, left alone: it is not in our process group; if no epmd runs, the one
 * Erlang starts daemonises out of our group too).
 *
 * The node is never left behind (guarded-process.ts: a watchdog SIGKILLs its process group when the test process
 * goes away). `kill()` is a crash (SIGKILL to the group: the VM and its helpers), `stop()` a clean shutdown
 * (SIGTERM to the server script, whose trap stops the VM).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import type { it } from 'vitest';
import { freePort } from './free-port.ts';
import { isAlive, killGroup, spawnGuarded, type GuardedProcess } from './guarded-process.ts';
import { serverForBlock } from './services.ts';

const run = promisify(execFile);
/** The real server script and CLI (Debian's /usr/sbin ones are wrappers that su to the rabbitmq user). */
export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const RABBITMQ_CTL = '/usr/lib/rabbitmq/bin/rabbitmqctl';

export interface RabbitMqNode {
  /** `tspop-<random>@localhost` */
  readonly name: string;
  readonly port: number;
  readonly distPort: number;
  readonly dir: string;
  /** Milliseconds the last (re)start took until the node accepted an AMQP login. */
  readonly startMs: number;
  readonly running: boolean;
  /** amqp://guest:guest@127.0.0.1:<port>/<vhost> (default vhost '/'). */
  url(vhost?: string): string;
  /** A crash: SIGKILL to the whole process group (the Erlang VM and its helpers); resolves when all are gone. */
  kill(): Promise<void>;
  /** A clean shutdown; resolves when the node has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same data folder, name and ports; resolves when it accepts AMQP. */
  restart(): Promise<void>;
  /**
   * Syncs the node's dets tables to disk. RabbitMQ 3.10.8 (Debian's) ships ra 2.2.0, which registers a new quorum
   * queue member in names.dets without syncing it (rabbitmq/ra#443 added the sync later). A crash before the next
   * auto-save makes the restarted node miss the member: it starts an empty one that never elects a leader, and
   * the queue's messages stay unreachable in the old member's folder. A queue that exists for a while is synced by
   * itself; a test that crashes the node right after declaring one calls this instead of sleeping.
   */
  syncMetadata(): Promise<void>;
  /** rabbitmqctl against this node (with its own cookie). */
  ctl(...args: string[]): Promise<string>;
  /** The last lines of the node's log and console output, for failure messages. */
  logTail(lines?: number): string;
  /** Kills the node and removes its folder. */
  cleanup(): Promise<void>;
}

/** Whether this machine can start a node; why not, when it cannot. */
export function rabbitMqNodeSupport(): { available: boolean; reason: string } {
  const missing = [RABBITMQ_SERVER, RABBITMQ_CTL, '/usr/bin/erl'].filter((p) => !existsSync(p));
  return missing.length === 0
    ? { available: true, reason: '' }
    : { available: false, reason: `a second RabbitMQ node needs ${missing.join(', ')}; run: apt-get install -y rabbitmq-server` };
}

export interface StartOptions {
  /** How long to wait for the node to accept AMQP (default 120 s: a busy 2-core machine). */
  timeoutMs?: number;
  /** The AMQP port (default: a free one). */
  port?: number;
}

/** Starts a node in a fresh temp folder; resolves once it accepts an AMQP login as guest. */
export async function startRabbitMqNode(opts: StartOptions = {}): Promise<RabbitMqNode> {
  const support = rabbitMqNodeSupport();
  if (!support.available) throw new Error(support.reason);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const dir = mkdtempSync(join(tmpdir(), 'tspop-rabbitmq-'));
  const name = `tspop-${randomBytes(4).toString('hex')}@localhost`;
  const port = opts.port ?? (await freePort());
  let distPort = await freePort();
  while (distPort === port) distPort = await freePort();
  const home = join(dir, 'home');
  const logs = join(dir, 'log');
  for (const d of [home, logs, join(dir, 'data')]) mkdirSync(d, { recursive: true });
  // the node's own cookie: nothing of the machine broker's (/var/lib/rabbitmq/.erlang.cookie) is needed or read
  writeFileSync(join(home, '.erlang.cookie'), randomBytes(20).toString('hex'), { mode: 0o400 });
  writeFileSync(join(dir, 'enabled_plugins'), ''); // no management plugin: a quicker start, no port 15672 clash
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(join(dir, 'rabbitmq.conf'), [
    'log.console = false',
    'log.file.level = info',
    // a full shared disk must not raise an alarm that blocks our publishers mid-test
    'disk_free_limit.absolute = 1MB',
    '',
  ].join('\n'));
  const env: Record<string, string> = {
    PATH: `/usr/bin:/bin:/usr/sbin:/sbin${process.env.PATH ? `:${process.env.PATH}` : ''}`,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: home,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'data'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_LOG_BASE: logs,
    RABBITMQ_PID_FILE: join(dir, 'beam.pid'),
    ERL_CRASH_DUMP: join(logs, 'erl_crash.dump'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    // distribution on loopback only, as the machine broker's rabbitmq-env.conf does
    ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const consoleLog = join(logs, 'console.log');
  const nodeLog = join(logs, `${name}.log`);
  let child: GuardedProcess | undefined;
  let startMs = 0;
  let removed = false;

  const logTail = (lines = 40): string => {
    // without the readiness probe's own connections, which would fill the tail
    const probe = /accepting AMQP connection|authenticated and granted access|closing AMQP connection/;
    const tail = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8').trimEnd().split('\n').filter((l) => !probe.test(l)).slice(-lines).join('\n') : '(none)');
    return `--- ${nodeLog} ---\n${tail(nodeLog)}\n--- console ---\n${tail(consoleLog)}`;
  };

  const kill = async (): Promise<void> => {
    const g = child;
    child = undefined;
    if (g) await killGroup(g);
  };

  const launch = async (): Promise<void> => {
    if (child) throw new Error(`RabbitMQ node ${name} is already running`);
    const started = Date.now();
    const p = spawnGuarded(RABBITMQ_SERVER, [], { cwd: dir, env, logFile: consoleLog, pidFile: join(dir, 'server.pid') });
    child = p;
    const deadline = started + timeoutMs;
    let last = '';
    for (;;) {
      const crashed = p.exited();
      if (crashed || Date.now() > deadline) {
        await kill().catch(() => undefined);
        throw new Error(`RabbitMQ node ${name} (AMQP 127.0.0.1:${port}, dir ${dir}) ${crashed ? 'failed to start' : `did not accept AMQP within ${timeoutMs} ms`}${last ? ` (last: ${last})` : ''}\n${logTail()}`);
      }
      try {
        const c = await connect({ hostname: '127.0.0.1', port, username: 'guest', password: 'guest', vhost: '/' }, { timeout: 2000 });
        // this node, not whatever else listens there (its cluster name defaults to its node name, with the real host)
        const cluster = String((c.connection as unknown as { serverProperties?: Record<string, unknown> }).serverProperties?.cluster_name ?? '');
        await c.close().catch(() => undefined);
        if (cluster.startsWith(`${name.split('@')[0]}@`)) break;
        last = `127.0.0.1:${port} is another broker (${cluster})`;
        await new Promise((r) => setTimeout(r, 100));
      } catch (err) {
        last = String((err as Error).message);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    startMs = Date.now() - started;
  };

  const node: RabbitMqNode = {
    name, port, distPort, dir,
    get startMs() {
      return startMs;
    },
    get running() {
      return child !== undefined;
    },
    url: (vhost = '/') => `amqp://guest:guest@127.0.0.1:${port}/${encodeURIComponent(vhost)}`,
    kill,
    async stop() {
      const serverPid = child?.pid();
      if (serverPid === undefined) return kill();
      // the script's TERM trap stops the VM cleanly (rabbitmqctl stop would need a second Erlang VM for nothing)
      try {
        process.kill(serverPid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && isAlive(serverPid)) await new Promise((r) => setTimeout(r, 50));
      await kill(); // the watchdog and anything the VM left
    },
    async restart() {
      await kill();
      await launch();
    },
    async syncMetadata() {
      await node.ctl('eval', '[dets:sync(T) || T <- dets:all()], ok.');
    },
    async ctl(...args: string[]) {
      const { stdout } = await run(RABBITMQ_CTL, ['-n', name, ...args], { env, timeout: 60_000 });
      return stdout;
    },
    logTail,
    async cleanup() {
      await kill().catch(() => undefined);
      if (!removed) rmSync(dir, { recursive: true, force: true });
      removed = true;
    },
  };
  process.once('exit', () => {
    if (!removed) rmSync(dir, { recursive: true, force: true });
  });
  try {
    await launch();
  } catch (err) {
    removed = true; // the folder stays: the error names it, for the whole log
    throw err;
  }
  return node;
}

/**
 * For a describe block: one node for the block (its beforeAll / afterAll) and the `it` its tests use. They need the
 * machine broker too; without Debian's rabbitmq-server they skip locally and fail under CI=true.
 */
export function secondRabbitMqNode(): { readonly it: typeof it; readonly server: RabbitMqNode } {
  return serverForBlock('the second RabbitMQ node', { missing: rabbitMqNodeSupport().reason, needs: 'rabbitmq', start: () => startRabbitMqNode(), startTimeoutMs: 180_000 });
}
