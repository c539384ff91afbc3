import { createHash } from 'node:crypto';

/** 128 bits of SHA-256 in hex (lower case only, so cache names cannot collide on a case-insensitive filesystem). */
export function digest(...parts: Array<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}
