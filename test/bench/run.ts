/** `npm run bench`: every benchmark in one process, each printing its ratios against a same-run baseline. */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
// benches that run the CLIs run the compiled bins: bring dist/ up to date once (incremental)
execFileSync(process.execPath, [join(dir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: join(dir, '../..') });
console.log(`tspop benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const f of files) {
  console.log(`\n== ${f}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run(): Promise<void> };
  await mod.run();
}
