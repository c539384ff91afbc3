/**
 * The ramen HTTP wire format (documented in README "queue: ramen wire format"):
 *
 *   POST {http|https}://{hostname}/api/v1/{category}/{type}/{version}
 *   Authorization: Token {auth_token}
 *   Content-Type: application/json        Content-Encoding: gzip
 *   X-Ramen-Request-Id: {reqid}            (unique per URL path; the server de-duplicates on path + reqid)
 *   X-Ramen-Sender / X-Ramen-System-Serial / X-Ramen-System-Version
 *   body: gzip(JSON {sender, system_serial, system_version, category, type, version, reqid, timestamp, data})
 *         with `data` in tagged JSON (tagged-json.ts: Dates and big decimals survive)
 *
 * Answers: 2xx accepted (202 {"code":"DUPLICATE"} too); 401/403 the token is refused (the reader stops);
 * 408, 429, 5xx, timeouts and network errors are temporary (retried after retry_delay); any other status is
 * permanent: the record is dropped and its URL path blacklisted for blacklist_ttl; a body
 * {"code":"DROPPED","rule":{...}} drops it and blacklists the rule.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface RamenIdentity {
  readonly sender: string;
  readonly system_serial: string | number;
  readonly system_version: string;
}

/** What the spool holds per ramen record (data already in tagged JSON). */
export interface RamenRecord {
  readonly category: string;
  readonly type: string;
  readonly version: string;
  readonly reqid: string;
  readonly timestamp: string;
  readonly data: string;
}

export function recordPath(r: Pick<RamenRecord, 'category' | 'type' | 'version'>): string {
  return `/api/v1/${[r.category, r.type, r.version].map(encodeURIComponent).join('/')}`;
}

export function buildRequest(id: RamenIdentity, auth: string, rec: RamenRecord): { path: string; headers: Record<string, string>; body: Buffer } {
  const json = `{"sender":${JSON.stringify(id.sender)},"system_serial":${JSON.stringify(id.system_serial)},"system_version":${JSON.stringify(id.system_version)},` +
    `"category":${JSON.stringify(rec.category)},"type":${JSON.stringify(rec.type)},"version":${JSON.stringify(rec.version)},` +
    `"reqid":${JSON.stringify(rec.reqid)},"timestamp":${JSON.stringify(rec.timestamp)},"data":${rec.data}}`;
  return {
    path: recordPath(rec),
    headers: {
      authorization: `Token ${auth}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-ramen-request-id': rec.reqid,
      'x-ramen-sender': String(id.sender),
      'x-ramen-system-serial': String(id.system_serial),
      'x-ramen-system-version': String(id.system_version),
    },
    body: gzipSync(json),
  };
}

export type Verdict =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'auth'; readonly status: number }
  | { readonly kind: 'dropped'; readonly reason: string; readonly rule?: Record<string, unknown> };

export function classify(status: number, body: Buffer): Verdict {
  const json = tryJson(body);
  if (json && json.code === 'DROPPED' && typeof json.rule === 'object' && json.rule !== null) {
    return { kind: 'dropped', reason: String(json.details ?? 'blacklisted'), rule: json.rule as Record<string, unknown> };
  }
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  if (status === 401 || status === 403) return { kind: 'auth', status };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}` };
  return { kind: 'dropped', reason: `HTTP ${status}${json?.code ? ` ${String(json.code)}` : ''}` };
}

function tryJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString());
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Server side: the body of a ramen request as sent (gunzipped when Content-Encoding says gzip). */
export function readRequestBody(body: Buffer, encoding: string | undefined): string {
  return (encoding ?? '').toLowerCase().includes('gzip') ? gunzipSync(body).toString() : body.toString();
}
