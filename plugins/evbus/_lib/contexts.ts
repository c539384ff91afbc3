/**
 * Contexts are `{ provider: { profileName: ctx } }`. pop-evbus 6/7 passed `{ provider: [{ name: data }, ...] }`;
 * that shape is accepted too. `match_plugin` (pop's per-contexts matcher override) is split off.
 */
import { EvbusContextError } from '../_errors.ts';
import type { EvbusContexts } from './types.ts';

export interface NormalizedContexts {
  readonly contexts: EvbusContexts;
  readonly matchPlugin: string | undefined;
}

export function normalizeContexts(input: unknown, what = 'contexts'): NormalizedContexts {
  if (input === undefined || input === null) return { contexts: {}, matchPlugin: undefined };
  if (typeof input !== 'object' || Array.isArray(input)) throw new EvbusContextError(`${what} must map acct providers to { profileName: data }`);
  const contexts: EvbusContexts = {};
  let matchPlugin: string | undefined;
  for (const [provider, value] of Object.entries(input as Record<string, unknown>)) {
    if (provider === 'match_plugin' && typeof value === 'string') {
      matchPlugin = value;
      continue;
    }
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      const merged: Record<string, unknown> = {};
      for (const item of value) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new EvbusContextError(`${what}.${provider}: list entries must be { profileName: data } mappings`);
        }
        Object.assign(merged, item);
      }
      contexts[provider] = merged;
    } else if (typeof value === 'object') {
      contexts[provider] = { ...(value as Record<string, unknown>) };
    } else {
      throw new EvbusContextError(`${what}.${provider} must map profile names to profile data`);
    }
  }
  return { contexts, matchPlugin };
}
