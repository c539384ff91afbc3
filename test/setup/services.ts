/**
 * vitest global setup: start what the suite needs and can start itself, and tell every test how to get the rest.
 * Tests call `requireService(name)` (test/helpers/services.ts): under CI=true a missing service fails the test
 * loudly; locally it skips with the exact command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { TestProject } from 'vitest/node';

export interface ServiceStatus {
  readonly up: boolean;
  /** What to run to get the service, when it is not up. */
  readonly hint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: Record<string, ServiceStatus>;
  }
}

function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function rabbitmq(): Promise<ServiceStatus> {
  if (await portOpen(5672)) return { up: true, hint: '' };
  const server = ['/usr/sbin/rabbitmq-server', '/usr/lib/rabbitmq/bin/rabbitmq-server'].find((p) => existsSync(p));
  if (!server) return { up: false, hint: 'apt-get install -y rabbitmq-server && rabbitmq-server -detached' };
  spawnSync(server, ['-detached'], { stdio: 'ignore' });
  for (let i = 0; i < 60; i++) {
    if (await portOpen(5672)) {
      spawnSync('rabbitmqctl', ['await_startup'], { stdio: 'ignore', timeout: 60_000 });
      return { up: true, hint: '' };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { up: false, hint: 'rabbitmq-server -detached (it did not come up within 60 s: see /var/log/rabbitmq)' };
}

/** NATS with JetStream on 127.0.0.1:4222 (the machine's own; .ci/run starts one when it is down). */
async function nats(): Promise<ServiceStatus> {
  if (await portOpen(4222)) return { up: true, hint: '' };
  return { up: false, hint: 'nats-server -a 127.0.0.1 -p 4222 -js -sd /tmp/nats-js &' };
}

function pythonOracle(): ServiceStatus {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import cryptography, msgpack'], { stdio: 'ignore' });
    return { up: true, hint: '' };
  } catch {
    return { up: false, hint: 'apt-get install -y python3-cryptography python3-msgpack' };
  }
}

/** The kv tests start their own etcd members (test/helpers/etcd.ts); they need Debian's binaries. */
function etcd(): ServiceStatus {
  const missing = ['/usr/bin/etcd', '/usr/bin/etcdctl'].filter((p) => !existsSync(p));
  return missing.length === 0 ? { up: true, hint: '' } : { up: false, hint: 'apt-get install -y etcd-server etcd-client' };
}

export default async function setup(project: TestProject): Promise<void> {
  const services: Record<string, ServiceStatus> = {
    rabbitmq: await rabbitmq(),
    python: pythonOracle(),
    etcd: etcd(),
    nats: await nats(),
  };
  for (const [name, s] of Object.entries(services)) {
    if (!s.up) process.stderr.write(`[tspop test setup] ${name} is not available: ${s.hint}\n`);
  }
  project.provide('services', services);
}
