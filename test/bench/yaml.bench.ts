/**
 * acct YAML parsing scales linearly with the number of keys in one mapping: the duplicate-key check is one Set
 * per mapping, where yaml's own uniqueKeys compared every pair (40k keys: 31 s). Baseline: the same parse of
 * half as many keys in the same run; linear is a ratio near 2, quadratic near 4.
 */
import { performance } from 'node:perf_hooks';
import { parseAcctYaml } from '../../acct/_yaml.ts';

function doc(keys: number): string {
  let s = 'svc:\n  default:\n';
  for (let i = 0; i < keys; i++) s += `    k${i}: v${i}\n`;
  return s;
}

function time(text: string): number {
  const samples: number[] = [];
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now();
    parseAcctYaml(text, 'bench.yml');
    if (r > 0) samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[1] as number;
}

export async function run(): Promise<void> {
  const half = time(doc(20_000));
  const full = time(doc(40_000));
  console.log(`parseAcctYaml, one mapping of 20k keys: ${half.toFixed(0)} ms`);
  console.log(`parseAcctYaml, one mapping of 40k keys: ${full.toFixed(0)} ms  ratio ${(full / half).toFixed(2)} (goal: ~2, linear; quadratic ~4)`);
}
