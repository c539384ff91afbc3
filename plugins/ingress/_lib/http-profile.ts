/**
 * Checks one `http` acct profile once: where to POST events, and how hard to try. Errors name the profile and
 * key, never header values or the password.
 */
import { EvbusHttpProfileError } from '../../evbus/_errors.ts';

export interface HttpProfile {
  /** `<provider>/<profile name>`, for logs. */
  readonly label: string;
  readonly url: URL;
  readonly method: 'POST' | 'PUT';
  /** Extra request headers (e.g. an API token); never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** Per attempt, ms (default 5000). */
  readonly timeoutMs: number;
  /** Attempts after the first one, on network errors, timeouts, 408, 429 and 5xx (default 3). */
  readonly retries: number;
  /** First retry delay, ms; doubles per retry up to 5 s (default 200). */
  readonly retryDelayMs: number;
}

const KEYS = new Set(['url', 'method', 'headers', 'timeout', 'retries', 'retry_delay', 'username', 'password']);

export function parseHttpProfile(provider: string, name: string, raw: unknown): HttpProfile {
  const label = `${provider}/${name}`;
  const fail = (msg: string): never => {
    throw new EvbusHttpProfileError(`acct profile ${label}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must be a mapping with at least "url"');
  const p = raw as Record<string, unknown>;
  const unknown = Object.keys(p).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) fail(`unknown key(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
  if (typeof p.url !== 'string') fail('"url" is required (http:// or https://)');
  let url: URL;
  try {
    url = new URL(p.url as string);
  } catch {
    return fail('"url" is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('"url" must be http:// or https://');
  if (url.username || url.password) fail('"url" must not carry credentials; use "username" and "password"');
  const method = p.method === undefined ? 'POST' : String(p.method).toUpperCase();
  if (method !== 'POST' && method !== 'PUT') fail('"method" must be POST or PUT');
  const headers: Record<string, string> = {};
  if (p.headers !== undefined) {
    if (typeof p.headers !== 'object' || p.headers === null || Array.isArray(p.headers)) fail('"headers" must map names to strings');
    for (const [k, v] of Object.entries(p.headers as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`header "${k}" must be a string (value not shown)`);
      headers[k.toLowerCase()] = v as string;
    }
  }
  if (p.username !== undefined || p.password !== undefined) {
    if (typeof p.username !== 'string' || typeof (p.password ?? '') !== 'string') fail('"username" and "password" must be strings');
    headers.authorization = `Basic ${Buffer.from(`${p.username as string}:${(p.password as string | undefined) ?? ''}`).toString('base64')}`;
  }
  const int = (key: string, dflt: number, min: number, max: number): number => {
    const v = p[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
    return v as number;
  };
  return {
    label,
    url,
    method: method as 'POST' | 'PUT',
    headers,
    timeoutMs: int('timeout', 5000, 1, 600_000),
    retries: int('retries', 3, 0, 100),
    retryDelayMs: int('retry_delay', 200, 0, 60_000),
  };
}
