/**
 * Nested values as store entries: `{ rabbit: { host: 'h' } }` is `rabbit/host = h`. Objects become folders,
 * lists are stored as JSON (and parsed back), other values as their text, as a key-value store holds them.
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function flatten(data: Readonly<Record<string, unknown>>, into = new Map<string, string>(), base = ''): Map<string, string> {
  for (const [key, value] of Object.entries(data)) {
    const full = base + key;
    if (isPlainObject(value) && Object.keys(value).length > 0) flatten(value, into, `${full}/`);
    else into.set(full, isPlainObject(value) ? '{}' : toText(value));
  }
  return into;
}
