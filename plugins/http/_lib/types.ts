/** The public shapes of hub.http.client. */

export interface HttpRequestOptions {
  /** Default GET, or POST when `body`/`json` is given. */
  readonly method?: string;
  /** Request headers; their values never appear in messages. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Sent as JSON with content-type application/json (unless `headers` sets one). */
  readonly json?: unknown;
  /** Per attempt, body read included (ms, default 10000). */
  readonly timeoutMs?: number;
  /** Extra attempts after temporary failures: network errors, timeouts, `retryOn` statuses (default 3). */
  readonly retries?: number;
  /** First backoff (ms, default 200), doubling with jitter up to `maxRetryDelayMs` (default 5000), which also caps Retry-After. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Statuses worth another attempt (default 408, 425, 429 and 5xx). */
  readonly retryOn?: (status: number) => boolean;
  /** Statuses that resolve (default 2xx); others reject with TSPOP_ERR_HTTP_STATUS. */
  readonly accept?: (status: number) => boolean;
  /** The caller's cancel: rejects with TSPOP_ERR_HTTP_ABORTED, no further attempt. */
  readonly signal?: AbortSignal;
  /** Prefixes error messages (e.g. `http profile http/hook`). */
  readonly label?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** Attempts it took (1 = no retry). */
  readonly attempts: number;
  text(): string;
  /** The body parsed as JSON; TSPOP_ERR_HTTP_BODY when it is not. */
  json<T = unknown>(): T;
}

/** Fields every TSPOP_ERR_HTTP_* error of a request carries. */
export interface HttpErrorInfo {
  readonly attempts: number;
  /** The last response's status (TSPOP_ERR_HTTP_STATUS). */
  readonly status?: number;
}
