/**
 * Sends one event body to an http profile's URL through the shared client (hub.http.client): a timeout per attempt,
 * transient failures (network errors, timeouts, 408, 425, 429, 5xx) retried with backoff; other statuses fail at
 * once. Resolves on any 2xx; a failure is TSPOP_ERR_EVBUS_HTTP_FAILED with the client's coded error as its cause.
 */
import type { Hub } from '../../../src/index.ts';
import { EvbusHttpFailedError } from '../../evbus/_errors.ts';
import type { HttpProfile } from './http-profile.ts';

export async function httpSend(hub: Hub, profile: HttpProfile, body: string | Buffer, contentType: string): Promise<void> {
  try {
    await hub.http.client.request(profile.url, {
      method: profile.method,
      headers: { 'content-type': contentType, ...profile.headers },
      body,
      timeoutMs: profile.timeoutMs,
      retries: profile.retries,
      retryDelayMs: profile.retryDelayMs,
      maxRetryDelayMs: Math.max(profile.retryDelayMs, 5000),
      label: `http profile ${profile.label}`,
    });
  } catch (err) {
    throw new EvbusHttpFailedError((err as Error).message, { cause: err });
  }
}
