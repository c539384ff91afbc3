/**
 * acct gather plugin for `http` profiles: checks url, method, headers, timeout and retries once, before the
 * bus starts, so a typo fails `start()` with TSPOP_ERR_EVBUS_HTTP_PROFILE instead of every event.
 */
import type { Hub } from '../../src/index.ts';
import { parseHttpProfile, type HttpProfile } from '../../plugins/ingress/_lib/http-profile.ts';

export const ACCT = ['http'];

export function gather(_hub: Hub, profiles: Record<string, Record<string, unknown>>): Record<string, Record<string, HttpProfile>> {
  const out: Record<string, Record<string, HttpProfile>> = {};
  for (const [provider, byName] of Object.entries(profiles)) {
    for (const [name, raw] of Object.entries(byName ?? {})) (out[provider] ??= {})[name] = parseHttpProfile(provider, name, raw);
  }
  return out;
}
