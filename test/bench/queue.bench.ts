/**
 * queue family throughput, each against a baseline measured in the same run:
 *  (1) disk spool: durable pushes/s with group commit (256 pushes in flight) vs one fsync per push; goal >= 20,000/s;
 *  (2) disk spool: recovery after a kill -9 with QUEUE_BENCH_RECOVERY_BYTES queued (default 1 GiB, reduced when the
 *      disk has less than 3x that free): time until the restarted reader hands out the first record, and the
 *      full drain rate vs reading the same files raw;
 *  (3) NATS JetStream producer -> durable consumer msgs/s vs the raw @nats-io client doing the same; goal >= 90%;
 *  (4) AMQP producer -> consumer msgs/s vs raw amqplib (confirm channel, prefetch, manual ack); goal >= 90%.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import { SpoolWriter } from '../../plugins/queue/_lib/spool/spool-writer.ts';
import { SpoolReader } from '../../plugins/queue/_lib/spool/spool-reader.ts';
import { BROKER, reachable } from '../helpers/rabbitmq.ts';
import { report, section, type Measurement } from './lib.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILL = fileURLToPath(new URL('./queue/fill-and-die.ts', import.meta.url));

function rate(name: string, n: number, ms: number): Measurement {
  const ns = (ms * 1e6) / n;
  return { name, nsPerOp: ns, opsPerSec: 1e9 / ns };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function spoolPushes(): Promise<void> {
  section('disk spool: durable pushes (resolved after fdatasync)');
  const dir = mkdtempSync(join(tmpdir(), 'tspop-bench-spool-'));
  try {
    const payload = Buffer.alloc(200, 0x61);
    const single = new SpoolWriter(join(dir, 'single'), { log: createMemoryLogger() });
    const n1 = 1000;
    const ms1 = await timed(async () => {
      for (let i = 0; i < n1; i++) await single.push(payload);
    });
    await single.close();
    const base = rate('one push at a time (an fsync each)', n1, ms1);
    report(base);
    const group = new SpoolWriter(join(dir, 'group'), { log: createMemoryLogger() });
    const n = 100_000;
    let next = 0;
    const ms = await timed(() => Promise.all(Array.from({ length: 256 }, async () => {
      while (next++ < n) await group.push(payload);
    })));
    await group.close();
    const m = rate(`group commit, 256 in flight (${group.stats.flushes} fsyncs)`, n, ms);
    report(m, base);
    console.log(`  => ${Math.round(m.opsPerSec)} durable pushes/s (goal >= 20,000/s: ${m.opsPerSec >= 20_000 ? 'met' : 'MISSED'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function freeBytes(dir: string): number {
  const out = execFileSync('df', ['-Pk', dir]).toString().trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  return Number(out[3]) * 1024;
}

async function spoolRecovery(): Promise<void> {
  const want = Number(process.env.QUEUE_BENCH_RECOVERY_BYTES ?? 1024 ** 3);
  const dir = mkdtempSync(join(tmpdir(), 'tspop-bench-recovery-'));
  const bytes = Math.min(want, Math.floor(freeBytes(dir) / 3));
  section(`disk spool: recovery after kill -9 with ${(bytes / 1024 ** 2).toFixed(0)} MiB queued${bytes < want ? ' (reduced: not enough free disk)' : ''}`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', FILL, dir, String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    const total = files.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    // baseline: reading the same bytes raw, 1 MiB at a time
    const rawMs = await timed(async () => {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (const f of files) {
        const fh = await open(join(dir, f), 'r');
        for (let pos = 0; ; pos += buf.length) if ((await fh.read(buf, 0, buf.length, pos)).bytesRead === 0) break;
        await fh.close();
      }
    });
    const reader = new SpoolReader(dir, createMemoryLogger());
    const t0 = performance.now();
    await reader.open();
    const first = await reader.next();
    const firstMs = performance.now() - t0;
    let n = 0;
    for (let rec = first; rec; rec = await reader.next()) {
      await reader.ack(rec);
      n++;
    }
    const drainMs = performance.now() - t0;
    await reader.close();
    console.log(`  restarted reader: first record after ${firstMs.toFixed(1)} ms; ${n} records (${(total / 1024 ** 2).toFixed(0)} MiB) drained in ${(drainMs / 1000).toFixed(2)} s`);
    report(rate('drain (read, verify checksum, ack, delete segments)', n, drainMs), rate('raw read of the same files', n, rawMs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function natsThroughput(): Promise<void> {
  section('NATS JetStream: producer -> durable consumer');
  const nc = await natsConnect({ servers: '127.0.0.1:4222' }).catch(() => undefined);
  if (!nc) return console.log('  skipped: no NATS on 127.0.0.1:4222');
  const jsm = await jetstreamManager(nc);
  const n = 20_000;
  const body = Buffer.alloc(200, 0x61);
  const rounds: { ours: number[]; raw: number[] } = { ours: [], raw: [] };
  const hub = await Hub.create({ root: ROOT, logger: createMemoryLogger() });
  await hub.pop.sub.add({ dyneName: 'queue' });
  for (let r = 0; r < 3; r++) {
    // raw client: publish with 256 PubAcks outstanding, consume with the same prefetch and explicit acks
    const rawQ = `tspop_bench_raw_${randomUUID().slice(0, 6)}`;
    await jsm.streams.add({ name: rawQ, subjects: [rawQ] });
    await jsm.consumers.add(rawQ, { durable_name: 'bench', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nc);
    rounds.raw.push(await timed(async () => {
      const c = await js.consumers.get(rawQ, 'bench');
      const msgs = await c.consume({ max_messages: 64 });
      let got = 0;
      const done = (async () => {
        for await (const m of msgs) {
          m.ack();
          if (++got === n) break;
        }
      })();
      let i = 0;
      await Promise.all(Array.from({ length: 256 }, async () => {
        while (i++ < n) await js.publish(rawQ, body);
      }));
      await done;
      await msgs.close();
    }));
    await jsm.streams.delete(rawQ);

    const q = `tspop_bench_ours_${randomUUID().slice(0, 6)}`;
    const p = await hub.queue.init.producer('nats', { queue: q });
    const c = await hub.queue.init.consumer('nats', { queue: q, prefetch: 64, concurrency: 64 });
    rounds.ours.push(await timed(async () => {
      let got = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((res) => (resolveDone = res));
      await c.listen(() => {
        if (++got === n) resolveDone();
      });
      let i = 0;
      await Promise.all(Array.from({ length: 256 }, async () => {
        while (i++ < n) await p.send(body);
      }));
      await done;
    }));
    await c.close();
    await p.close();
    await jsm.streams.delete(q.replace(/[^A-Za-z0-9_-]/g, '_')).catch(() => undefined);
  }
  await hub.close();
  await nc.close();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const raw = rate('raw @nats-io client (publish + consume + ack)', n, med(rounds.raw));
  const ours = rate('hub.queue.nats producer -> consumer', n, med(rounds.ours));
  report(raw);
  report(ours, raw);
  console.log(`  => ours is ${((ours.opsPerSec / raw.opsPerSec) * 100).toFixed(0)}% of raw (goal >= 90%)`);
}

async function amqpThroughput(): Promise<void> {
  section('AMQP (RabbitMQ): producer -> consumer');
  if (!(await reachable())) return console.log('  skipped: no RabbitMQ on 127.0.0.1:5672');
  const n = 20_000;
  const body = Buffer.alloc(200, 0x61);
  const conn = await amqpConnect(BROKER);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const rawMs: number[] = [];
  const oursMs: number[] = [];
  const hub = await Hub.create({ root: ROOT, logger: createMemoryLogger() });
  await hub.pop.sub.add({ dyneName: 'queue' });
  const haveLayer = await hub.queue.init.producer('amqp', { queue: 'tspop-bench-probe' }).then((p: { close(): Promise<void> }) => p.close().then(() => true), () => false);
  for (let r = 0; r < 3; r++) {
    const q = `tspop-bench-raw-${randomUUID().slice(0, 6)}`;
    const pubCh = await conn.createConfirmChannel();
    const subCh = await conn.createChannel();
    await pubCh.assertQueue(q, { durable: true });
    await subCh.prefetch(64);
    rawMs.push(await timed(async () => {
      let got = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((res) => (resolveDone = res));
      await subCh.consume(q, (m) => {
        if (!m) return;
        subCh.ack(m);
        if (++got === n) resolveDone();
      });
      let inFlight = 0;
      let waiting: (() => void) | undefined;
      for (let i = 0; i < n; i++) {
        while (inFlight >= 256) await new Promise<void>((res) => (waiting = res));
        inFlight++;
        pubCh.publish('', q, body, { persistent: true }, () => {
          inFlight--;
          waiting?.();
          waiting = undefined;
        });
      }
      await pubCh.waitForConfirms();
      await done;
    }));
    await subCh.deleteQueue(q);
    await pubCh.close();
    await subCh.close();
    if (!haveLayer) continue;
    const oq = `tspop-bench-ours-${randomUUID().slice(0, 6)}`;
    const p = await hub.queue.init.producer('amqp', { queue: oq });
    const c = await hub.queue.init.consumer('amqp', { queue: oq, prefetch: 64, concurrency: 64 });
    oursMs.push(await timed(async () => {
      let got = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((res) => (resolveDone = res));
      await c.listen(() => {
        if (++got === n) resolveDone();
      });
      let i = 0;
      await Promise.all(Array.from({ length: 256 }, async () => {
        while (i++ < n) await p.send(body);
      }));
      await done;
    }));
    await c.close();
    await p.close();
    const ch = await conn.createChannel();
    await ch.deleteQueue(oq);
    await ch.close();
  }
  await hub.close();
  await conn.close();
  const raw = rate('raw amqplib (confirm channel, 256 in flight, prefetch 64)', n, med(rawMs));
  report(raw);
  if (!haveLayer) return console.log('  hub.queue.amqp: skipped — the shared amqp layer (hub.amqp) is not in this build');
  const ours = rate('hub.queue.amqp producer -> consumer', n, med(oursMs));
  report(ours, raw);
  console.log(`  => ours is ${((ours.opsPerSec / raw.opsPerSec) * 100).toFixed(0)}% of raw (goal >= 90%)`);
}

export async function run(): Promise<void> {
  await spoolPushes();
  await spoolRecovery();
  await natsThroughput();
  await amqpThroughput();
}
