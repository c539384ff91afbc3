/**
 * Whole-process CLI start: the compiled bins against `node -e 0`, run in turn (A B A B ...) so machine drift moves
 * both; the ratio is the median of per-pair ratios. Goal (issue 7): within 2.5x.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { section } from './lib.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = (name: string) => join(ROOT, 'dist/scripts/bin', `${name}.js`);
const ROUNDS = Number(process.env.CLI_BENCH_ROUNDS ?? 15);

function wallMs(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function compare(label: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): void {
  wallMs(args, cwd, env); // warm the file cache and the transform cache
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const x = wallMs(args, cwd, env);
    const y = wallMs(['-e', '0'], cwd, env);
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  const r = median(ratios);
  console.log(`  ${label.padEnd(44)} ${median(a).toFixed(1).padStart(7)} ms   node -e 0 ${median(b).toFixed(1)} ms   ${r.toFixed(2)}x  (goal <= 2.5x: ${r <= 2.5 ? 'met' : 'MISSED'})`);
}

export async function run(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'tspop-cli-bench-'));
  // the user's own environment for both sides (here NODE_EXTRA_CA_CERTS alone costs node -e 0 about 40 ms)
  const env = { ...process.env };
  writeFileSync(join(dir, 'package.json'), '{"name":"bench-host","private":true,"type":"module"}');
  const key = execFileSync(process.execPath, [BIN('acct'), 'encrypt', 'creds.yml'], {
    cwd: (writeFileSync(join(dir, 'creds.yml'), 'amqp:\n  default:\n    host: localhost\n    password: bench\n'), dir),
    env,
    encoding: 'utf8',
  }).trim().split('\n').pop() as string;

  section(`CLI start, whole process (median of ${ROUNDS} pairs)`);
  compare('tspop --help', [BIN('tspop'), '--help'], dir, env);
  compare('acct decrypt creds.yml.fernet (small file)', [BIN('acct'), 'decrypt', 'creds.yml.fernet'], dir, { ...env, ACCT_KEY: key });
  compare('evbus-test --help', [BIN('evbus-test'), '--help'], dir, env);
}
