/**
 * Soak: evbus with the amqp ingress at a steady rate for a long time (default 10 minutes), RSS sampled, every
 * event consumed back from RabbitMQ by message id. Reports RSS growth after warm-up (goal < 10%) and events
 * lost (goal 0). Run alone with `npm run bench soak`; TSPOP_SOAK_SECONDS and TSPOP_SOAK_RATE (events/s) make it
 * shorter or busier. Baseline: the process's own RSS right after warm-up, measured in the same run.
 */
import { fileURLToPath } from 'node:url';
import { connect, type ChannelModel } from 'amqplib';
import { Hub, createMemoryLogger } from '../../src/index.ts';
import { BROKER, createVhost, deleteVhost, reachable } from '../helpers/rabbitmq.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUEUE = 'tspop-soak';
const SAMPLE_MS = 5_000;

export async function run(): Promise<void> {
  const seconds = Number(process.env.TSPOP_SOAK_SECONDS ?? 600);
  const rate = Number(process.env.TSPOP_SOAK_RATE ?? 500);
  if (!(await reachable())) {
    console.log('soak: skipped, RabbitMQ is not reachable on 127.0.0.1:5672');
    return;
  }
  const warmupMs = Math.min(60_000, seconds * 200); // a fifth of the run, at most a minute
  const vhost = await createVhost();
  const log = createMemoryLogger();
  const hub = await Hub.create({ root: ROOT, logger: log });
  // preallocated, so the bench's own bookkeeping does not grow the RSS it measures (a Set of 300k numbers did, ~7 MB)
  const seen = new Uint8Array(Math.ceil(seconds * rate) + 1024);
  let consumed = 0;
  let duplicates = 0;
  let reconnects = 0;
  // the broker is shared: another test's `rabbitmqctl close_all_connections` may cut us too, so the consumer
  // reconnects (the queue is durable: nothing is lost meanwhile), as the publisher does
  let stopping = false;
  let consumer: ChannelModel | undefined;
  const consume = async (): Promise<void> => {
    const conn = await connect({ ...BROKER, vhost });
    consumer = conn;
    conn.on('error', () => undefined);
    conn.on('close', () => {
      if (stopping) return;
      reconnects++;
      const retry = (): void => void consume().catch(() => setTimeout(retry, 500));
      setTimeout(retry, 200);
    });
    const ch = await conn.createChannel();
    await ch.assertQueue(QUEUE, { durable: true });
    await ch.prefetch(1000);
    await ch.consume(QUEUE, (msg) => {
      if (!msg) return;
      const n = (JSON.parse(msg.content.toString()) as { n: number }).n;
      if (seen[n]) duplicates++;
      else {
        seen[n] = 1;
        consumed++;
      }
      ch.ack(msg);
    });
  };
  try {
    await consume();
    await hub.pop.sub.add({ dyneName: 'evbus' });

    const profile = { host: BROKER.hostname, port: BROKER.port, username: BROKER.username, password: BROKER.password, vhost, ingress_channels: [QUEUE] };
    const running = hub.evbus.init.start({ profiles: { amqp: { soak: profile } }, internalDefault: false });
    await hub.evbus.init.join();

    const samples: Array<{ t: number; rss: number; heap: number }> = [];
    const t0 = Date.now();
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      samples.push({ t: Date.now() - t0, rss: m.rss, heap: m.heapUsed });
    }, SAMPLE_MS);
    // steady rate: every 10 ms, the events due by now (put waits if the bus is full: nothing is dropped here)
    let put = 0;
    for (let elapsed = 0; elapsed < seconds * 1000; elapsed = Date.now() - t0) {
      const due = Math.floor((elapsed / 1000) * rate);
      for (; put < due; put++) await hub.evbus.broker.put({ n: put, at: Date.now(), data: 'x'.repeat(64) }, { profile: 'soak' });
      await new Promise((r) => setTimeout(r, 10));
    }
    clearInterval(sampler);
    const stopped = await hub.evbus.init.stop({ timeoutMs: 60_000 });
    await running;
    // everything confirmed by the broker should reach the consumer within moments
    const deadline = Date.now() + 60_000;
    while (consumed < put && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    let lost = 0;
    for (let n = 0; n < put; n++) if (!seen[n]) lost++;

    const after = samples.filter((s) => s.t >= warmupMs);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const window = Math.max(1, Math.floor(after.length / 5));
    const base = median(after.slice(0, window).map((s) => s.rss));
    const end = median(after.slice(-window).map((s) => s.rss));
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    console.log(`soak: ${seconds} s at ${rate} events/s through evbus -> amqp ingress -> RabbitMQ, RSS sampled every ${SAMPLE_MS / 1000} s`);
    const cuts = log.records.filter((r) => r.msg.includes('connection lost')).length;
    console.log(`  events put ${put}, consumed ${consumed} (duplicates ${duplicates}), lost ${lost} (goal 0); drained: ${stopped.drained}`);
    console.log(`  connections cut by others during the run: publisher ${cuts}, consumer ${reconnects} (both reconnected)`);
    console.log(`  RSS after ${warmupMs / 1000} s warm-up ${mb(base)}, at the end ${mb(end)}: growth ${(((end - base) / base) * 100).toFixed(1)}% (goal < 10%)`);
    console.log(`  RSS min ${mb(Math.min(...samples.map((s) => s.rss)))}, max ${mb(Math.max(...samples.map((s) => s.rss)))}; heap at the end ${mb(samples.at(-1)?.heap ?? 0)}`);
    const errors = log.records.filter((r) => (r.level === 'error' || r.level === 'warn') && !r.msg.includes('connection lost'));
    if (errors.length > 0) console.log(`  ${errors.length} other warnings/errors logged, first: ${errors[0]?.msg}`);
  } finally {
    stopping = true;
    await hub.close().catch(() => undefined);
    await consumer?.close().catch(() => undefined);
    await deleteVhost(vhost);
  }
}
