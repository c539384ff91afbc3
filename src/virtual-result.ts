import type { VirtualResult } from './types.ts';

export interface VirtualVerdict {
  readonly ok: boolean;
  readonly reason: string;
}

/**
 * pop accepts True, False, a reason string (meaning "no, because") or a (bool, reason) tuple from `__virtual__`.
 * Anything else is a plugin bug, reported as a failure rather than silently loaded.
 */
export function normalizeVirtual(result: VirtualResult | unknown): VirtualVerdict {
  if (result === true) return { ok: true, reason: '' };
  if (result === false) return { ok: false, reason: '__virtual__ returned false' };
  if (typeof result === 'string') return { ok: false, reason: result };
  if (Array.isArray(result) && typeof result[0] === 'boolean') {
    const reason = typeof result[1] === 'string' ? result[1] : result[0] ? '' : '__virtual__ returned false';
    return { ok: result[0], reason };
  }
  return { ok: false, reason: `__virtual__ returned ${describe(result)}; expected true, false, a reason string or [ok, reason]` };
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  return typeof v;
}
