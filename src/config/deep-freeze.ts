/**
 * Freezes plain data in place and returns it: `value` and every plain object and array reachable from it.
 * Anything else (class instances, Map, Set, Date, functions, typed arrays) is left alone: it may be shared
 * with code that owns it, and freezing such an object breaks it rather than protecting it.
 */
export function deepFreeze<T>(value: T): T {
  freeze(value, new WeakSet());
  return value;
}

/** Plain objects (Object or null prototype) and arrays: the data options are made of. */
export function isPlainData(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function freeze(value: unknown, seen: WeakSet<object>): void {
  if (!isPlainData(value) || seen.has(value)) return;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (desc && 'value' in desc) freeze(desc.value, seen);
  }
  Object.freeze(value);
}
