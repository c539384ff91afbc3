/** The CLIs as users run them: the compiled bins in dist/, which test/setup/build.ts brings up to date first. */
import { fileURLToPath } from 'node:url';

const DIST_BIN = fileURLToPath(new URL('../../dist/scripts/bin/', import.meta.url));

/** Path of the compiled bin `name` (as package.json's "bin" names it). */
export function binPath(name: 'tspop' | 'acct' | 'evbus-test' | (string & {})): string {
  return `${DIST_BIN}${name}.js`;
}
