/**
 * The queue family's one HTTP sending call, kept in this file so it can be swapped for the shared `hub.http`
 * client (same shape: url, method, headers, body, timeout -> status + body) once that lands.
 * Network failures and timeouts reject with `kind: 'network' | 'timeout'` on the error; any status resolves.
 */
export interface HttpSendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  readonly timeoutMs?: number;
}

export interface HttpSendResult {
  readonly status: number;
  readonly body: Buffer;
}

export class HttpSendFailure extends Error {
  constructor(readonly kind: 'network' | 'timeout', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export async function httpSend(url: string, opts: HttpSendOptions = {}): Promise<HttpSendResult> {
  const method = (opts.method ?? 'POST').toUpperCase();
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 20_000);
  let res: Response;
  try {
    res = await fetch(url, { method, headers: opts.headers, body: method === 'GET' || method === 'HEAD' ? undefined : opts.body, signal });
  } catch (cause) {
    const timedOut = signal.aborted;
    throw new HttpSendFailure(timedOut ? 'timeout' : 'network', `${method} ${safeUrl(url)} ${timedOut ? 'timed out' : 'failed'}`, { cause });
  }
  const body = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
  return { status: res.status, body };
}

/** origin + path only: no userinfo or query string in messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
