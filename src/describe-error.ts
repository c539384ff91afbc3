import { redactText } from './redact.ts';

export interface DescribeErrorOptions {
  /**
   * Mask what may be a secret: URL passwords, key-like runs, `password: x` pairs, and the strings given.
   * Use it for every message built from text tspop did not write (drivers, parsers, plugins).
   */
  readonly redact?: boolean | readonly string[];
}

/**
 * Any thrown value as one line, for one-line CLI errors and logs. Multi-line messages are joined (esbuild puts
 * the useful `file:line:col: ERROR: ...` on the second line); with `redact`, the result is secret-free.
 */
export function describeError(err: unknown, opts: DescribeErrorOptions = {}): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : safeString(err);
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  if (!opts.redact) return line;
  return redactText(line, Array.isArray(opts.redact) ? opts.redact : []);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
