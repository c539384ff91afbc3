/**
 * Deep copy of a conf default, so freezing OPT never freezes (or shares) a conf file's data.
 * Copies what `deepFreeze` would freeze: plain objects and arrays; everything else is kept as is.
 */
export function cloneValue<T>(value: T): T {
  return clone(value, new Map()) as T;
}

function clone(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(clone(item, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = Object.create(proto);
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = clone(v, seen);
  return out;
}
