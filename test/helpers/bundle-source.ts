/**
 * tspop's sources bundled into one plain ES module, for child processes that must run without any TypeScript
 * loader (a TS loader in the child would change what the transforming loader is measured or tested against).
 * The bundle sits in the repository's node_modules/.cache so its package imports resolve as from src/, under a
 * name that hashes its content: reused while the sources are unchanged, never half-written, nothing to clean up.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles `src/<entry>.ts` and returns the bundle's path (`src/pop/` beside it, as the hub expects). */
export async function bundleSource(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO, 'src', `${entry}.ts`)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    outfile: 'bundle.mjs',
    logLevel: 'warning',
  });
  const code = (result.outputFiles[0] as { text: string }).text;
  const dir = join(REPO, 'node_modules', '.cache', 'tspop-bundles', `${entry}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`);
  const outfile = join(dir, 'src', `${entry}.mjs`);
  if (!existsSync(outfile)) {
    mkdirSync(join(dir, 'src', 'pop'), { recursive: true });
    const temp = `${outfile}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, outfile);
  }
  return outfile;
}
