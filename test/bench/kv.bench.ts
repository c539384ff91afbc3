/**
 * kv change propagation: a put through the etcd client until the store's onReload sees it, p50/p99 over 200
 * changes, with the watch (this design) and with the seed's design (a full read every reloadSeconds) measured
 * in the same run against the same etcd. Polling runs with a 0.25 s period so the run stays short; its latency
 * scales with the period (a change waits for the next read: on average half a period), so the 20 s figure is
 * the measured one scaled by 20 / 0.25. Goal: watch p50 < 50 ms, p99 < 200 ms.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Etcd3 } from 'etcd3';
import { KVStore, createMemoryLogger, type KvConfig } from '../../src/index.ts';
import { ETCD, startEtcd } from '../helpers/etcd.ts';
import { TSPOP_ROOT } from '../helpers/kv.ts';
import { section } from './lib.ts';

const CHANGES = 200;
const WARMUP = 10;
const POLL_SECONDS = 0.25;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function propagation(client: Etcd3, endpoints: string[], prefix: string, watch: boolean): Promise<number[]> {
  await client.put(`${prefix}n`).value('-1');
  const kv = new KVStore({ etcdEndpoints: endpoints, kvPrefix: prefix, reloadEnabled: true, watch, reloadSeconds: POLL_SECONDS, root: TSPOP_ROOT, logger: createMemoryLogger() });
  let waiting: { value: string; resolve: () => void } | undefined;
  kv.onReload((_old, cur: KvConfig) => {
    if (waiting && cur.n === waiting.value) waiting.resolve();
  });
  await kv.ready();
  const samples: number[] = [];
  try {
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      // a random start within the period, so puts do not fall in step with the polling timer
      if (!watch) await new Promise((r) => setTimeout(r, Math.random() * POLL_SECONDS * 1000));
      const value = String(i);
      const seen = new Promise<void>((resolve) => (waiting = { value, resolve }));
      const t0 = performance.now();
      await client.put(`${prefix}n`).value(value);
      await seen;
      if (i >= WARMUP) samples.push(performance.now() - t0);
    }
  } finally {
    await kv.close();
  }
  return samples.sort((a, b) => a - b);
}

function line(name: string, s: readonly number[], scale = 1): string {
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const f = (ms: number) => (ms * scale >= 1000 ? `${((ms * scale) / 1000).toFixed(2)} s` : `${(ms * scale).toFixed(1)} ms`);
  return `  ${name.padEnd(50)} p50 ${f(percentile(s, 50)).padStart(9)}  p99 ${f(percentile(s, 99)).padStart(9)}  mean ${f(mean).padStart(9)}`;
}

export async function run(): Promise<void> {
  section(`kv: change propagation, etcd put -> onReload (${CHANGES} changes each)`);
  if (!existsSync(ETCD)) {
    console.log('  skipped: etcd is not installed (apt-get install -y etcd-server etcd-client)');
    return;
  }
  const etcd = await startEtcd(1);
  const client = new Etcd3({ hosts: etcd.endpoints.map((e) => `http://${e}`) });
  try {
    const watched = await propagation(client, etcd.endpoints, 'bench/watch/', true);
    const polled = await propagation(client, etcd.endpoints, 'bench/poll/', false);
    console.log(line('watch (debounce 25 ms)', watched));
    console.log(line(`seed design: poll every ${POLL_SECONDS} s`, polled));
    console.log(line('seed design scaled to its default 20 s period', polled, 20 / POLL_SECONDS));
    const p50 = percentile(watched, 50);
    const p99 = percentile(watched, 99);
    console.log(`  watch p50 is ${(percentile(polled, 50) / p50).toFixed(1)}x faster than polling at ${POLL_SECONDS} s, ${((percentile(polled, 50) * (20 / POLL_SECONDS)) / p50).toFixed(0)}x than at 20 s`);
    console.log(`  goal p50 < 50 ms: ${p50 < 50 ? 'met' : 'MISSED'}; goal p99 < 200 ms: ${p99 < 200 ? 'met' : 'MISSED'}`);
  } finally {
    client.close();
    await etcd.stop();
  }
}
