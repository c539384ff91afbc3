import { isPlainObject } from './_file-format.ts';

/**
 * `over` merged into a copy of `base`: plain objects merge key by key, anything else in `over` (lists included)
 * replaces what `base` has. Neither input is modified, so merged profiles never alias a backend's objects.
 */
export function deepMerge<T extends Record<string, unknown>>(base: T, over: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) {
    if (key === '__proto__') continue; // an own "__proto__" key (JSON.parse makes them) must not become a prototype
    const a = out[key];
    const b = over[key];
    out[key] = isPlainObject(a) && isPlainObject(b) ? deepMerge(a, b) : b;
  }
  return out as T;
}
