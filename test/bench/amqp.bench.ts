/**
 * hub.amqp throughput against raw amqplib, same broker, same run, rounds alternating who goes first:
 * (1) publish -> consume: N persistent 100-byte messages through a durable queue, confirmed publisher and an acking
 *     consumer (prefetch 200) on one connection, timed until the consumer has acked the last one;
 * (2) confirmed publishing alone, with amqp-connection-manager's ChannelWrapper alongside for reference (the layer
 *     uses its connection manager, not its channels: see plugins/amqp/_lib/shared-connection.ts).
 * Goal: the layer >= 90% of raw amqplib's msgs/s.
 */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { AmqpConnectionManagerClass } from 'amqp-connection-manager';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import type { AmqpConnection } from '../../plugins/amqp/_lib/types.ts';
import { BROKER, reachable } from '../helpers/rabbitmq.ts';
import { report, section, type Measurement } from './lib.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUEUE = 'tspop-bench-amqp';
const N = 20_000;
const ROUNDS = 11;
const PREFETCH = 200;
const BODY = Buffer.alloc(100, 'x');

function perMessage(name: string, samplesMs: number[]): Measurement {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const ns = ((sorted[Math.floor(sorted.length / 2)] as number) * 1e6) / N;
  return { name, nsPerOp: ns, opsPerSec: 1e9 / ns };
}

/** Resolves once `count` reached `n` (checked by the caller's increments). */
function counter(n: number): { hit(): void; done: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return { hit: () => void (++seen === n && resolve()), done };
}

async function rawPublish(ch: ConfirmChannel): Promise<void> {
  const confirms: Array<Promise<void>> = [];
  for (let i = 0; i < N; i++) {
    confirms.push(new Promise<void>((resolve, reject) => ch.sendToQueue(QUEUE, BODY, { persistent: true }, (err) => (err ? reject(err) : resolve()))));
    if (i % 1000 === 999) await new Promise(setImmediate); // let confirms and deliveries in, as a real producer would
  }
  await Promise.all(confirms);
}

async function rawRoundTrip(model: ChannelModel): Promise<number> {
  const pub = await model.createConfirmChannel();
  const sub: Channel = await model.createChannel();
  await sub.prefetch(PREFETCH);
  const got = counter(N);
  const t0 = performance.now();
  const { consumerTag } = await sub.consume(QUEUE, (msg) => {
    if (!msg) return;
    sub.ack(msg);
    got.hit();
  });
  await rawPublish(pub);
  await got.done;
  const ms = performance.now() - t0;
  await sub.cancel(consumerTag);
  await sub.close();
  await pub.close();
  return ms;
}

async function ourPublish(hub: Hub, conn: AmqpConnection): Promise<void> {
  const pub = hub.amqp.publisher.create(conn, { bufferSize: N });
  await pub.whenReady();
  const confirms: Array<Promise<void>> = [];
  for (let i = 0; i < N; i++) {
    confirms.push(pub.publish('', QUEUE, BODY));
    if (i % 1000 === 999) await new Promise(setImmediate);
  }
  await Promise.all(confirms);
  await pub.close();
}

async function ourRoundTrip(hub: Hub, conn: AmqpConnection): Promise<number> {
  const got = counter(N);
  const t0 = performance.now();
  const consumer = await hub.amqp.consumer.consume(conn, QUEUE, () => got.hit(), { prefetch: PREFETCH });
  await ourPublish(hub, conn);
  await got.done;
  const ms = performance.now() - t0;
  await consumer.cancel();
  return ms;
}

async function acmPublish(): Promise<number> {
  const manager = new AmqpConnectionManagerClass([{ ...BROKER }]);
  void manager.connect();
  const wrapper = manager.createChannel({ confirm: true });
  await wrapper.waitForConnect();
  const t0 = performance.now();
  const confirms: Array<Promise<unknown>> = [];
  for (let i = 0; i < N; i++) {
    confirms.push(wrapper.sendToQueue(QUEUE, BODY, { persistent: true }));
    if (i % 1000 === 999) await new Promise(setImmediate);
  }
  await Promise.all(confirms);
  const ms = performance.now() - t0;
  await manager.close();
  return ms;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  if (!(await reachable())) {
    section('hub.amqp vs raw amqplib');
    console.log('  skipped: RabbitMQ is not reachable on 127.0.0.1:5672 (start it: rabbitmq-server -detached)');
    return;
  }
  const model = await connect(BROKER);
  const admin = await model.createChannel();
  await admin.assertQueue(QUEUE, { durable: true });
  const hub = await Hub.create({ root: ROOT, logger: createMemoryLogger() });
  await hub.pop.sub.add({ dyneName: 'amqp' });
  const conn = hub.amqp.connection.open({ host: BROKER.hostname, port: BROKER.port, username: BROKER.username, password: BROKER.password });
  await conn.whenConnected(10_000);

  const trip = { ours: [] as number[], raw: [] as number[] };
  const pubOnly = { ours: [] as number[], raw: [] as number[], acm: [] as number[] };
  for (let round = 0; round <= ROUNDS; round++) {
    const order = round % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw'];
    for (const who of order) {
      await admin.purgeQueue(QUEUE);
      const ms = who === 'raw' ? await rawRoundTrip(model) : await ourRoundTrip(hub, conn);
      if (round > 0) trip[who as 'raw' | 'ours'].push(ms);
    }
    for (const who of [...order, 'acm']) {
      await admin.purgeQueue(QUEUE);
      const ms = who === 'raw'
        ? await timed(async () => {
          const ch = await model.createConfirmChannel();
          await rawPublish(ch);
          await ch.close();
        })
        : who === 'ours' ? await timed(() => ourPublish(hub, conn)) : await acmPublish();
      if (round > 0) pubOnly[who as 'raw' | 'ours' | 'acm'].push(ms);
    }
  }
  await conn.close();
  await hub.close();
  await admin.deleteQueue(QUEUE);
  await model.close();

  const goal = Number((1 / 0.9).toFixed(2));
  section(`hub.amqp publish -> consume vs raw amqplib (${N} persistent 100-byte messages, confirms, prefetch ${PREFETCH}, acked, ${ROUNDS} rounds)`);
  const rawTrip = perMessage('raw amqplib ConfirmChannel + consume/ack, per message', trip.raw);
  report(rawTrip);
  report(perMessage('hub.amqp publisher + consumer, per message (median)', trip.ours), rawTrip, { maxRatio: goal });
  pairedLine(trip.ours, trip.raw, goal);

  section(`hub.amqp confirmed publishing vs raw amqplib (${N} messages, every one confirmed)`);
  const rawPub = perMessage('raw amqplib sendToQueue with a confirm callback each, per message', pubOnly.raw);
  report(rawPub);
  report(perMessage('hub.amqp publisher.publish, per message (median)', pubOnly.ours), rawPub, { maxRatio: goal });
  pairedLine(pubOnly.ours, pubOnly.raw, goal);
  report(perMessage('amqp-connection-manager ChannelWrapper.sendToQueue (reference)', pubOnly.acm), rawPub);
}

/** Per-round ours/raw (each pair ran back to back), which cancels slow drift of a shared machine. */
function pairedLine(ours: number[], raw: number[], goal: number): void {
  const ratios = ours.map((o, i) => o / (raw[i] as number)).sort((a, b) => a - b);
  const paired = ratios[Math.floor(ratios.length / 2)] as number;
  console.log(`  ${'paired: median of per-round ours/raw time'.padEnd(58)} ${paired.toFixed(2)}x = ${(100 / paired).toFixed(0)}% of raw's msgs/s  (goal <= ${goal}x: ${paired <= goal ? 'met' : 'MISSED'}; rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
