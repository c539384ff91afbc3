/**
 * AMQP header field values, both ways. amqplib guesses a JS number's type from its size (signed byte, short,
 * int or long), but dripline-cpp reads integer headers with GetUint32, which accepts only the unsigned 32-bit
 * tag `i`: so every integer header we send is forced to `{ '!': 'uint32', value }`. Reading, any integer type
 * is accepted (pika sends `l`, older clients `I` or `b`), and byte strings (`x`) count as UTF-8 strings.
 */

/** amqplib's typed field value: encodes as tag `i` (unsigned 32-bit). */
export interface Uint32Field {
  readonly '!': 'uint32';
  readonly value: number;
}

export function uint32(value: number): Uint32Field {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`${value} is not an unsigned 32-bit integer`);
  return { '!': 'uint32', value };
}

/** An integer header value of any AMQP integer type; undefined when absent or not an integer. */
export function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (value !== null && typeof value === 'object' && '!' in value && 'value' in value) return readInteger((value as { value: unknown }).value);
  return undefined;
}

/** A string header value (longstr or byte array); undefined when absent or of another type. */
export function readString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** A table header value as a plain object (nested tables and arrays converted too). */
export function readTable(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = plain(v);
  return out;
}

function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    if ('!' in v && 'value' in v) return plain((v as { value: unknown }).value);
    return readTable(v);
  }
  return v;
}
