/**
 * JSON, the default serial plugin (pop-serial's json): sets become sorted lists and other iterables lists, as
 * pop-evbus did; Maps become objects, bigints strings and Buffers base64, so any event body can be sent.
 */
import type { Hub } from '../../src/index.ts';

export const CONTENT_TYPE = 'application/json';

export function dump(_hub: Hub, body: unknown): string {
  // a replacer makes stringify ~2x slower; most bodies are plain data and do not need one
  const text = isPlain(body, { budget: 256 }) ? JSON.stringify(body) : JSON.stringify(body, replacer);
  return text === undefined ? 'null' : text;
}

export function load(_hub: Hub, data: string | Buffer | Uint8Array): unknown {
  return JSON.parse(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // Buffer.toJSON runs before the replacer; read the original off the holder
  const original = (this as Record<string, unknown>)[key];
  if (Buffer.isBuffer(original) || original instanceof Uint8Array) return Buffer.from(original).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Set) return [...value].sort(compareAny);
  if (value instanceof Map) return Object.fromEntries(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [...(value as Iterable<unknown>)];
  }
  return value;
}

/** True when plain JSON.stringify gives the same result as with `replacer` (checked on at most `budget` values). */
function isPlain(value: unknown, state: { budget: number }): boolean {
  if (--state.budget < 0) return false;
  if (value === null || typeof value !== 'object') return typeof value !== 'bigint';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlain(value[i], state)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!isPlain((value as Record<string, unknown>)[key], state)) return false;
  return true;
}

function compareAny(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
