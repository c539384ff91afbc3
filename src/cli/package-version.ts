import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `version` of `<dir>/package.json`, or undefined when there is none. */
export function packageVersion(dir: string): string | undefined {
  try {
    const v: unknown = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}
