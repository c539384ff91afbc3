/**
 * The queue family's HTTP goes through the shared client, `hub.http.client.request` (keep-alive pool, timeouts,
 * retries with backoff and Retry-After, errors naming `METHOD origin/path` only).
 */
import type { Hub } from '../../../../src/index.ts';
import type { HttpRequestOptions, HttpResponse } from '../../../http/_lib/types.ts';
import { sharedDyne } from '../dyne.ts';

export interface HttpClient {
  request(url: string, opts?: HttpRequestOptions): Promise<HttpResponse>;
}

export async function httpClient(hub: Hub, where: string): Promise<HttpClient> {
  return (await sharedDyne<{ client: HttpClient }>(hub, 'http', where)).client;
}

