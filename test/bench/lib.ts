/**
 * Tiny benchmark kit: every goal is a ratio against a baseline measured in the same run, so a slow or busy
 * machine moves both numbers together. Nothing here asserts; `npm run bench` prints.
 */
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  /** nanoseconds per operation (median of the rounds) */
  readonly nsPerOp: number;
  readonly opsPerSec: number;
}

/** Runs `fn` `iterations` times per round, `rounds` rounds after one warm-up round; reports the median. */
export function measureSync(name: string, fn: () => unknown, iterations = 1_000_000, rounds = 7): Measurement {
  const samples: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    const ns = ((performance.now() - t0) * 1e6) / iterations;
    if (r > 0) samples.push(ns);
  }
  return result(name, median(samples));
}

/**
 * For nanosecond-scale calls: `loop(n)` runs the operation n times itself (and returns something derived from
 * the results so the JIT cannot drop the work), so no per-iteration closure call blurs the comparison.
 */
export function measureLoop(name: string, loop: (n: number) => unknown, iterations = 10_000_000, rounds = 9): Measurement {
  const samples: number[] = [];
  let sink: unknown;
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    sink = loop(iterations);
    const ns = ((performance.now() - t0) * 1e6) / iterations;
    if (r > 0) samples.push(ns);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return result(name, median(samples));
}

/** Async variant: `fn` is one operation; awaited sequentially. */
export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  iterations = 1_000,
  rounds = 5,
): Promise<Measurement> {
  const samples: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    const ns = ((performance.now() - t0) * 1e6) / iterations;
    if (r > 0) samples.push(ns);
  }
  return result(name, median(samples));
}

/** Times one whole operation (e.g. load 1000 files) `rounds` times; reports the median. */
export async function measureOnce(name: string, fn: () => Promise<unknown> | unknown, rounds = 5): Promise<Measurement> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1e6);
  }
  return result(name, median(samples));
}

function result(name: string, nsPerOp: number): Measurement {
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/** Prints one line: the measurement, and against `baseline` its ratio plus the goal verdict. */
export function report(m: Measurement, baseline?: Measurement, goal?: { maxRatio?: number; minRatio?: number; label?: string }): void {
  let line = `  ${m.name.padEnd(58)} ${formatNs(m.nsPerOp).padStart(11)}/op  ${fmtOps(m.opsPerSec).padStart(12)}`;
  if (baseline) {
    const ratio = m.nsPerOp / baseline.nsPerOp;
    line += `  ${ratio.toFixed(2)}x ${baseline.name}`;
    if (goal?.maxRatio !== undefined) line += ratio <= goal.maxRatio ? `  (goal <= ${goal.maxRatio}x: met)` : `  (goal <= ${goal.maxRatio}x: MISSED)`;
    if (goal?.minRatio !== undefined) {
      const speedup = baseline.nsPerOp / m.nsPerOp;
      line += speedup >= goal.minRatio ? `  (${speedup.toFixed(1)}x faster, goal >= ${goal.minRatio}x: met)` : `  (${speedup.toFixed(1)}x faster, goal >= ${goal.minRatio}x: MISSED)`;
    }
  }
  console.log(line);
}

function fmtOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M/s`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(2)} k/s`;
  return `${ops.toFixed(1)} /s`;
}

export function section(title: string): void {
  console.log(`\n${title}`);
}
