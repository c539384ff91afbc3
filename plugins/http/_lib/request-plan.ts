/** Checks hub.http.client.request's arguments once; messages name the option, never a header value or URL secret. */
import { HttpOptionsError } from '../_errors.ts';
import type { HttpRequestOptions } from './types.ts';

export interface RequestPlan {
  readonly url: URL;
  /** `METHOD origin/path` (no query string, no user info): what messages may show. */
  readonly what: string;
  readonly prefix: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly retryOn: (status: number) => boolean;
  readonly accept: (status: number) => boolean;
  readonly signal: AbortSignal | undefined;
}

const KEYS = new Set(['method', 'headers', 'body', 'json', 'timeoutMs', 'retries', 'retryDelayMs', 'maxRetryDelayMs', 'retryOn', 'accept', 'signal', 'label']);

export const retryableStatus = (s: number): boolean => s === 408 || s === 425 || s === 429 || s >= 500;
const ok2xx = (s: number): boolean => s >= 200 && s < 300;

export function requestPlan(url: string | URL, opts: HttpRequestOptions): RequestPlan {
  if (typeof opts !== 'object' || opts === null) fail('options must be an object');
  const unknown = Object.keys(opts).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return fail('the URL is not valid (not shown: it may hold a secret)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail('the URL must be http:// or https://');
  if (u.username || u.password) fail('the URL must not carry credentials; send an authorization header');
  if (opts.body !== undefined && opts.json !== undefined) fail('give "body" or "json", not both');
  if (opts.body !== undefined && typeof opts.body !== 'string' && !(opts.body instanceof Uint8Array)) fail('"body" must be a string or bytes');
  const headers: Record<string, string> = {};
  if (opts.headers !== undefined) {
    if (typeof opts.headers !== 'object' || opts.headers === null || Array.isArray(opts.headers)) fail('"headers" must map names to strings');
    for (const [k, v] of Object.entries(opts.headers)) {
      if (typeof v !== 'string') fail(`header "${k}" must be a string (value not shown)`);
      headers[k.toLowerCase()] = v;
    }
  }
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  const method = (opts.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) fail('"method" must be an HTTP method name');
  const fn = (v: unknown, key: string, dflt: (s: number) => boolean): ((s: number) => boolean) => {
    if (v === undefined) return dflt;
    if (typeof v !== 'function') fail(`"${key}" must be a function (status) => boolean`);
    return v as (s: number) => boolean;
  };
  if (opts.label !== undefined && typeof opts.label !== 'string') fail('"label" must be a string');
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) fail('"signal" must be an AbortSignal');
  const retryDelayMs = int(opts.retryDelayMs, 'retryDelayMs', 200, 0, 600_000);
  return {
    url: u,
    what: `${method} ${u.origin}${u.pathname}`,
    prefix: opts.label ? `${opts.label}: ` : '',
    method,
    headers,
    body,
    timeoutMs: int(opts.timeoutMs, 'timeoutMs', 10_000, 1, 3_600_000),
    retries: int(opts.retries, 'retries', 3, 0, 100),
    retryDelayMs,
    maxRetryDelayMs: Math.max(retryDelayMs, int(opts.maxRetryDelayMs, 'maxRetryDelayMs', 5000, 0, 3_600_000)),
    retryOn: fn(opts.retryOn, 'retryOn', retryableStatus),
    accept: fn(opts.accept, 'accept', ok2xx),
    signal: opts.signal,
  };
}

function int(v: unknown, key: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
  return v as number;
}

function fail(message: string): never {
  throw new HttpOptionsError(`hub.http.client.request: ${message}`);
}
