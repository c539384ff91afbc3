/**
 * hub.http.client — one HTTP client for every family: a timeout per attempt, retries with backoff (and Retry-After)
 * on temporary failures, coded errors whose messages name `METHOD origin/path` and never a query string, user info
 * or header value. Built on Node's fetch (undici), whose keep-alive pool the requests share.
 *
 *   const res = await hub.http.client.request('https://api.example/v1/items', { json: item, retries: 5 });
 *   res.json();
 */
import type { Hub } from '../../src/index.ts';
import { backoffDelay } from '../../src/backoff.ts';
import { describeError } from '../../src/describe-error.ts';
import { HttpAbortedError, HttpBodyError, HttpNetworkError, HttpStatusError, HttpTimeoutError } from './_errors.ts';
import { requestPlan, type RequestPlan } from './_lib/request-plan.ts';
import type { HttpRequestOptions, HttpResponse } from './_lib/types.ts';

type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Headers; readonly body: Buffer }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'network'; readonly error: unknown };

/**
 * Sends the request, retrying network errors, timeouts and `retryOn` statuses up to `retries` times. Resolves with
 * the first response `accept` takes (2xx by default). Rejects with TSPOP_ERR_HTTP_STATUS (`.status`),
 * _TIMEOUT, _NETWORK, _ABORTED or _OPTIONS; each failure carries `.attempts`. Note that retrying a POST after a
 * timeout may deliver it twice: servers should de-duplicate (e.g. by a request id header).
 */
export async function request(_hub: Hub, url: string | URL, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  const plan = requestPlan(url, opts);
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(plan);
    if (outcome.kind === 'aborted') throw failure(HttpAbortedError, plan, 'aborted by the caller', attempt);
    let retryAfterMs: number | undefined;
    if (outcome.kind === 'response') {
      if (plan.accept(outcome.status)) return response(outcome, attempt, plan);
      if (!plan.retryOn(outcome.status) || attempt > plan.retries) {
        throw failure(HttpStatusError, plan, `HTTP ${outcome.status}${attempts(attempt)}`, attempt, outcome.status);
      }
      retryAfterMs = retryAfter(outcome.headers.get('retry-after'));
    } else if (attempt > plan.retries) {
      if (outcome.kind === 'timeout') throw failure(HttpTimeoutError, plan, `timed out after ${plan.timeoutMs} ms${attempts(attempt)}`, attempt);
      throw failure(HttpNetworkError, plan, `${networkReason(outcome.error)}${attempts(attempt)}`, attempt, undefined, outcome.error);
    }
    const delay = Math.min(plan.maxRetryDelayMs, retryAfterMs ?? backoffDelay(attempt - 1, plan.retryDelayMs, plan.maxRetryDelayMs));
    if (!(await sleep(delay, plan.signal))) throw failure(HttpAbortedError, plan, 'aborted by the caller', attempt);
  }
}

async function attemptOnce(plan: RequestPlan): Promise<Outcome> {
  if (plan.signal?.aborted) return { kind: 'aborted' };
  const timeout = AbortSignal.timeout(plan.timeoutMs);
  const signal = plan.signal ? AbortSignal.any([plan.signal, timeout]) : timeout;
  try {
    const res = await fetch(plan.url, { method: plan.method, headers: plan.headers, body: plan.body, signal });
    const body = Buffer.from(await res.arrayBuffer());
    return { kind: 'response', status: res.status, headers: res.headers, body };
  } catch (err) {
    if (plan.signal?.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'timeout' };
    return { kind: 'network', error: err };
  }
}

function response(o: { status: number; headers: Headers; body: Buffer }, attempt: number, plan: RequestPlan): HttpResponse {
  return {
    status: o.status,
    headers: o.headers,
    body: o.body,
    attempts: attempt,
    text: () => o.body.toString('utf8'),
    json: <T>() => {
      try {
        return JSON.parse(o.body.toString('utf8')) as T;
      } catch (err) {
        throw new HttpBodyError(`${plan.prefix}${plan.what}: the response body is not JSON (${o.body.length} bytes, HTTP ${o.status})`, { cause: err });
      }
    },
  };
}

type ErrorClass = new (message: string, options?: { cause?: unknown }) => Error;

function failure(cls: ErrorClass, plan: RequestPlan, reason: string, attempt: number, status?: number, cause?: unknown): Error {
  const err = new cls(`${plan.prefix}${plan.what} failed: ${reason}`, cause === undefined ? undefined : { cause });
  return Object.assign(err, status === undefined ? { attempts: attempt } : { attempts: attempt, status });
}

function attempts(n: number): string {
  return n > 1 ? ` (${n} attempts)` : '';
}

/** fetch's "fetch failed" says nothing: the socket error is its cause (ECONNREFUSED ...). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause ?? err;
  return describeError(cause, { redact: true });
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** False when `signal` aborted during the wait. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
