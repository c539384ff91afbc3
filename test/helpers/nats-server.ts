/**
 * A second, standalone nats-server with JetStream for failover tests: a free loopback port, its own store folder
 * (-sd) in a temp dir, killed with the test process (guarded-process.ts). Not clustered with the machine's
 * server on 4222: each has its own JetStream.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { it } from 'vitest';
import { freePort } from './free-port.ts';
import { killGroup, spawnGuarded, type GuardedProcess } from './guarded-process.ts';
import { serverForBlock } from './services.ts';

export const NATS_SERVER = '/usr/sbin/nats-server';

export interface NatsServer {
  readonly port: number;
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly dir: string;
  /** A crash: SIGKILL. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store folder; resolves when its JetStream answers. */
  restart(): Promise<void>;
  logTail(lines?: number): string;
  cleanup(): Promise<void>;
}

export async function startNatsServer(timeoutMs = 60_000): Promise<NatsServer> {
  if (!existsSync(NATS_SERVER)) throw new Error(`${NATS_SERVER} is missing; run: apt-get install -y nats-server`);
  const dir = mkdtempSync(join(tmpdir(), 'tspop-nats-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const log = join(dir, 'nats.log');
  let child: GuardedProcess | undefined;
  const logTail = (lines = 30): string => (existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)');
  const kill = async (): Promise<void> => {
    const g = child;
    child = undefined;
    if (g) await killGroup(g);
  };
  const launch = async (): Promise<void> => {
    const g = spawnGuarded(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'store'), '--server_name', `tspop-${port}`], {
      cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, logFile: log, pidFile: join(dir, 'nats.pid'),
    });
    child = g;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (g.exited() || Date.now() > deadline) {
        await kill();
        throw new Error(`nats-server on ${address} (dir ${dir}) ${g.exited() ? 'exited' : `did not answer within ${timeoutMs} ms`}\n${logTail()}`);
      }
      const nc = await connect({ servers: address, timeout: 1000, reconnect: false }).catch(() => undefined);
      if (nc) {
        // JetStream answers once it recovered its store
        const ok = await jetstreamManager(nc).then((jsm) => jsm.getAccountInfo()).then(() => true, () => false);
        await nc.close();
        if (ok) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await launch();
  let removed = false;
  process.once('exit', () => {
    if (!removed) rmSync(dir, { recursive: true, force: true });
  });
  return {
    port, address, dir, kill, logTail,
    async restart() {
      await kill();
      await launch();
    },
    async cleanup() {
      await kill().catch(() => undefined);
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For a describe block: a second server for the block (its beforeAll / afterAll) and the `it` its tests use. */
export function secondNatsServer(): { readonly it: typeof it; readonly server: NatsServer } {
  const missing = existsSync(NATS_SERVER) ? '' : `${NATS_SERVER} is missing; run: apt-get install -y nats-server`;
  return serverForBlock('the second nats-server', { missing, needs: 'nats', start: () => startNatsServer(), startTimeoutMs: 120_000 });
}
