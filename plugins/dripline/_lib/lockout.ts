/**
 * Lockout keys (the standard's "Lockout" section): a 16-byte key written as 32 hex digits, with or without the
 * UUID dashes. An empty lockout_key means "no key" (the nil UUID); a non-empty string that is not a key is
 * answered with 308 before anything else. A locked endpoint takes lockable requests (set, cmd) only with its key.
 */
import { randomUUID } from 'node:crypto';
import type { SenderInfo } from './message.ts';

/** The nil key (all zeros): what an empty lockout_key means. */
export const NIL_KEY = '00000000000000000000000000000000';

/** The key's 32 lowercase hex digits, NIL_KEY for '' (or the nil UUID), undefined for something that is not a key. */
export function parseLockoutKey(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return NIL_KEY;
  const hex = t.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : undefined;
}

/** A key in UUID form (8-4-4-4-12), as dripline-cpp prints and sends it. */
export function formatLockoutKey(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One endpoint's (or service's) lock. */
export class Lockout {
  #key = NIL_KEY;
  #tag: SenderInfo | undefined;

  get locked(): boolean {
    return this.#key !== NIL_KEY;
  }

  /** Who locked it (the locking request's sender_info). */
  get tag(): SenderInfo | undefined {
    return this.#tag;
  }

  /** True when unlocked, or locked with `key`. */
  admits(key: string): boolean {
    return !this.locked || key === this.#key;
  }

  /** Locks with `key` (a generated one for NIL_KEY); returns the key. Callers check `locked` first. */
  lock(key: string, tag: SenderInfo): string {
    this.#key = key === NIL_KEY ? randomUUID().replace(/-/g, '') : key;
    this.#tag = tag;
    return this.#key;
  }

  unlock(): void {
    this.#key = NIL_KEY;
    this.#tag = undefined;
  }
}
