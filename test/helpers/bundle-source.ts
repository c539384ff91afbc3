/**
 * tspop's sources bundled into one plain ES module, for child processes that must run without any TypeScript
 * loader (a TS loader in the child would change what the transforming loader is measured or tested against).
 * The bundle sits in the repository's node_modules/.cache so its package imports resolve as from src/.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const made: string[] = [];

/** Bundles `src/<entry>.ts` and returns the bundle's path (`src/pop/` beside it, as the hub expects). */
export async function bundleSource(entry: string): Promise<string> {
  const parent = join(REPO, 'node_modules', '.cache', 'tspop-bundles');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'b-'));
  made.push(dir);
  mkdirSync(join(dir, 'src', 'pop'), { recursive: true });
  const outfile = join(dir, 'src', `${entry}.mjs`);
  await build({
    entryPoints: [join(REPO, 'src', `${entry}.ts`)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
