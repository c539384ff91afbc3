/**
 * dripline on the local broker. (1) get round-trip latency p50/p99: dragonfly's client asking a kv_store endpoint,
 * one request at a time, against a raw amqplib request/reply pair (same broker, same reply-queue pattern, a
 * responder that answers at once) as the baseline. (2) Sustained requests/s with 64 requests in flight, against
 * the same raw pair. (3) A whole `dragonfly get` process against `node -e 0`, both spawned in this run.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import { BROKER, createVhost, deleteVhost, reachable } from '../helpers/rabbitmq.ts';
import { report, section, type Measurement } from './lib.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/scripts/bin/dragonfly.js', import.meta.url));
const SEQUENTIAL = 2000;
const PIPELINED = 20_000;
const IN_FLIGHT = 64;

type Ask = () => Promise<unknown>;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function latencies(ask: Ask, n: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) await ask(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await ask();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function throughput(name: string, ask: Ask, n: number): Promise<Measurement> {
  let next = 0;
  const worker = async () => {
    while (next++ < n) await ask();
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const ns = ((performance.now() - t0) * 1e6) / n;
  return { name, nsPerOp: ns, opsPerSec: 1e9 / ns };
}

/** A bare AMQP request/reply pair: the baseline for what any RPC over this broker costs. */
async function rawPair(vhost: string): Promise<{ ask: Ask; close(): Promise<void> }> {
  const conn = await connect({ ...BROKER, vhost });
  const server = await conn.createChannel();
  const client = await conn.createChannel();
  const queue = `bench_raw_${randomUUID().slice(0, 8)}`;
  await server.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
  await server.consume(queue, (m) => {
    if (!m) return;
    server.sendToQueue(m.properties.replyTo as string, Buffer.from('{"value_raw":0.75,"value_cal":1.5}'), { correlationId: m.properties.correlationId, contentEncoding: 'application/json' });
  }, { noAck: true });
  const { queue: replies } = await client.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  const waiting = new Map<string, () => void>();
  await client.consume(replies, (m) => {
    if (m) waiting.get(m.properties.correlationId as string)?.();
  }, { noAck: true });
  return {
    ask: () => new Promise<void>((resolve) => {
      const id = randomUUID();
      waiting.set(id, () => (waiting.delete(id), resolve()));
      client.sendToQueue(queue, Buffer.from('{}'), { correlationId: id, replyTo: replies, contentEncoding: 'application/json' });
    }),
    close: () => conn.close(),
  };
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (tsx's transform cache, the OS file cache)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

export async function run(): Promise<void> {
  if (!(await reachable())) {
    section('dripline: request/reply');
    console.log('  skipped: RabbitMQ is not reachable on 127.0.0.1:5672 (start it: rabbitmq-server -detached)');
    return;
  }
  const vhost = await createVhost();
  const hub = await Hub.create({ root: ROOT, logger: createMemoryLogger() });
  try {
    await hub.pop.sub.add({ dyneName: 'dripline' });
    const name = `bench_${randomUUID().slice(0, 8)}`;
    const mesh = { broker: '127.0.0.1', mesh: { vhost }, userMesh: false };
    const svc = await hub.dripline.service.start({
      name, heartbeat_interval_s: 0,
      endpoints: [{ name: `${name}_peaches`, module: 'kv_store', calibration: '2*{}', initial_value: 0.75 }],
    }, mesh);
    const client = await hub.dripline.client.open(mesh);
    const ours: Ask = () => client.request(`${name}_peaches`, 'get');
    const raw = await rawPair(vhost);

    const rawLat = await latencies(raw.ask, SEQUENTIAL);
    const ourLat = await latencies(ours, SEQUENTIAL);
    section(`dripline: get round trip, one at a time (${SEQUENTIAL} requests after 200 warm-up)`);
    for (const [label, l] of [['raw amqplib request/reply', rawLat], ['dripline client -> kv_store service', ourLat]] as const) {
      console.log(`  ${label.padEnd(40)} p50 ${percentile(l, 50).toFixed(3)} ms   p99 ${percentile(l, 99).toFixed(3)} ms`);
    }
    console.log(`  ${'dripline / raw'.padEnd(40)} p50 ${(percentile(ourLat, 50) / percentile(rawLat, 50)).toFixed(2)}x   p99 ${(percentile(ourLat, 99) / percentile(rawLat, 99)).toFixed(2)}x`);

    section(`dripline: sustained gets, ${IN_FLIGHT} in flight (${PIPELINED} requests)`);
    const rawTp = await throughput('raw amqplib request/reply', raw.ask, PIPELINED);
    const ourTp = await throughput('dripline client -> kv_store service', ours, PIPELINED);
    report(rawTp);
    report(ourTp, rawTp);

    await raw.close();
    await client.close();
    await svc.stop();

    section('dripline: whole process, median of 5 (after one warm-up run)');
    const exec = promisify(execFile);
    const node = await medianMs(5, () => exec(process.execPath, ['-e', '0']));
    const get = await medianMs(5, () => exec(process.execPath, [BIN, 'get', 'nobody_here', '-b', '127.0.0.1', '--vhost', vhost, '-t', '5']).catch((e: { code?: number }) => {
      if (e.code !== 4) throw e; // 403 unroutable: the full path (hub, connect, declare, publish, return) with no service needed
    }));
    const svc2 = await hub.dripline.service.start({ name, heartbeat_interval_s: 0, endpoints: [{ name: `${name}_peaches`, module: 'kv_store', initial_value: 1 }] }, mesh);
    const answered = await medianMs(5, () => exec(process.execPath, [BIN, 'get', `${name}_peaches`, '-b', '127.0.0.1', '--vhost', vhost]));
    await svc2.stop();
    console.log(`  ${'node -e 0'.padEnd(40)} ${node.toFixed(0)} ms`);
    console.log(`  ${'dragonfly get <endpoint> (answered)'.padEnd(40)} ${answered.toFixed(0)} ms   ${(answered / node).toFixed(1)}x node -e 0`);
    console.log(`  ${'dragonfly get <nothing bound> (403)'.padEnd(40)} ${get.toFixed(0)} ms   ${(get / node).toFixed(1)}x node -e 0`);
  } finally {
    await hub.close();
    await deleteVhost(vhost);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
