/**
 * hub.ingress.http — POSTs each event body to a URL through the shared HTTP client (hub.http.client), retrying
 * transient failures with backoff and a per-attempt timeout. Profile (provider `http`): `url` (required), `method` (POST|PUT), `headers`, `username`/`password`
 * (basic auth), `timeout` ms (5000), `retries` (3), `retry_delay` ms (200, doubling).
 */
import type { Hub } from '../../src/index.ts';
import { parseHttpProfile, type HttpProfile } from './_lib/http-profile.ts';
import { httpSend } from './_lib/http-send.ts';
import type { IngressCtx, IngressEvent } from '../evbus/_lib/types.ts';

export const ACCT = ['http'];

/** The shared HTTP client is a dyne of its own. */
export async function __init__(hub: Hub): Promise<void> {
  if (hub.http === undefined) await hub.pop.sub.add({ dyneName: 'http' });
}

/** Raw profiles checked once each (when acct/evbus/http.ts did not already). */
const parsed = new WeakMap<object, HttpProfile>();

export async function publish(hub: Hub, ctx: IngressCtx, event: IngressEvent): Promise<void> {
  await httpSend(hub, profileOf(ctx), event.body, event.contentType);
}

function profileOf(ctx: IngressCtx): HttpProfile {
  const acct = ctx.acct as object;
  if (isHttpProfile(acct)) return acct;
  let p = typeof acct === 'object' && acct !== null ? parsed.get(acct) : undefined;
  if (!p) {
    p = parseHttpProfile(ctx.provider, ctx.profile, acct);
    if (typeof acct === 'object' && acct !== null) parsed.set(acct, p);
  }
  return p;
}

function isHttpProfile(v: unknown): v is HttpProfile {
  return typeof v === 'object' && v !== null && (v as HttpProfile).url instanceof URL && typeof (v as HttpProfile).label === 'string';
}
