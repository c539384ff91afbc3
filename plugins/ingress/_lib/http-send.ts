/**
 * Sends one event body to an http profile's URL, retrying transient failures (network errors, timeouts, 408,
 * 429, 5xx) with exponential backoff; other statuses fail at once. Resolves on any 2xx.
 */
import { describeError } from '../../../src/errors.ts';
import { EvbusHttpFailedError } from '../../evbus/_errors.ts';
import { backoffDelay } from '../../../src/backoff.ts';
import type { HttpProfile } from './http-profile.ts';

export async function httpSend(profile: HttpProfile, body: string | Buffer, contentType: string): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt <= profile.retries; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, profile.retryDelayMs, Math.max(profile.retryDelayMs, 5000)));
    let status: number;
    try {
      const res = await fetch(profile.url, {
        method: profile.method,
        headers: { 'content-type': contentType, ...profile.headers },
        body: typeof body === 'string' ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        signal: AbortSignal.timeout(profile.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined); // we never read replies; free the socket
    } catch (err) {
      last = (err as Error)?.name === 'TimeoutError' ? `timed out after ${profile.timeoutMs} ms` : describeError(err);
      continue;
    }
    if (status >= 200 && status < 300) return;
    last = `HTTP ${status}`;
    if (!(status === 408 || status === 429 || status >= 500)) break;
  }
  throw new EvbusHttpFailedError(`http profile ${profile.label}: ${profile.method} ${profile.url.origin}${profile.url.pathname} failed: ${last}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
