/**
 * JSON that keeps Dates and exact numbers: a Date becomes {"$date": ISO-8601}, a bigint {"$bigint": "digits"},
 * and a big-decimal object (decimal.js, big.js, bignumber.js ... anything with a Decimal/Big/BigNumber
 * constructor and toFixed) {"$decimal": "its exact digits"}. `parse` turns them back into Date, bigint and the
 * decimal's string (exact, never a float). Any other object with a single `$date`/`$bigint`/`$decimal` key is
 * escaped as {"$esc": {...}} so it comes back as it was.
 */
const TAGS = new Set(['$date', '$bigint', '$decimal', '$esc']);
const DECIMAL_CTORS = new Set(['Decimal', 'Big', 'BigNumber', 'BigDecimal']);

export function stringify(value: unknown): string {
  return JSON.stringify(tag(value));
}

function tag(v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? null : v.toISOString() };
  if (isDecimal(v)) return { $decimal: String(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), tag(x)]));
  if (v instanceof Set) return [...v].map(tag);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  const toJSON = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return tag(toJSON.call(v));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = tag(x);
  const keys = Object.keys(out);
  return keys.length === 1 && TAGS.has(keys[0] as string) ? { $esc: out } : out;
}

function isDecimal(v: object): boolean {
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name !== undefined && DECIMAL_CTORS.has(name) && typeof (v as { toFixed?: unknown }).toFixed === 'function';
}

export function parse(text: string): unknown {
  return untag(JSON.parse(text));
}

function untag(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(untag);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const k = keys[0] as string;
    if (k === '$date') return o.$date === null ? new Date(NaN) : new Date(o.$date as string);
    if (k === '$bigint') return BigInt(o.$bigint as string);
    if (k === '$decimal') return String(o.$decimal);
    if (k === '$esc') return Object.fromEntries(Object.entries(o.$esc as Record<string, unknown>).map(([kk, x]) => [kk, untag(x)]));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = untag(x);
  return out;
}
