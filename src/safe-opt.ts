import { HubReadonlyError } from './errors.ts';
import { isPlainData } from './config/deep-freeze.ts';
import type { Opt } from './types.ts';

/**
 * hub.OPT as plugins read it: frozen all the way down, and a namespace nobody loaded reads as an empty frozen
 * object, so `hub.OPT.acct.acct_file` is `undefined` (not a TypeError) before `hub.pop.config.load` or without
 * acct options. Writing anywhere in it (`hub.OPT.my_app.port = 1`, delete, defineProperty) throws
 * TSPOP_ERR_HUB_READONLY naming the path, instead of strict mode's uncoded TypeError.
 */
export function safeOpt(data: Readonly<Record<string, unknown>>): Opt {
  const seen = new WeakMap<object, unknown>();
  const top = guard(data, 'hub.OPT', seen) as object;
  const empty = (ns: string) => guard({}, `hub.OPT.${ns}`, seen);
  return new Proxy(top, {
    ...refuse('hub.OPT'),
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') return empty(key);
      return Reflect.get(target, key, receiver);
    },
  }) as Opt;
}

/**
 * A frozen copy of plain data (objects with Object or null prototype, arrays) behind a proxy that refuses
 * writes with a coded error; other values (class instances, functions, Maps) are kept as they are, unfrozen:
 * they belong to whoever made them. The copy holds the proxies of its children, so reads return exactly what
 * the frozen target holds, as a proxy over a frozen object must.
 */
function guard(value: unknown, path: string, seen: WeakMap<object, unknown>): unknown {
  if (!isPlainData(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const copy: Record<PropertyKey, unknown> = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value));
  const proxy = new Proxy(copy, refuse(path));
  seen.set(value, proxy);
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    const child = typeof key === 'string' ? `${path}.${key}` : path;
    if ('value' in desc) desc.value = guard(desc.value, child, seen);
    Object.defineProperty(copy, key, desc);
  }
  Object.freeze(copy);
  return proxy;
}

function refuse(path: string): ProxyHandler<object> {
  const fail = (key?: PropertyKey): never => {
    const at = typeof key === 'string' ? `${path}.${key}` : path;
    throw new HubReadonlyError(`${at} is read-only: options come from conf, env and flags through hub.pop.config.load()`);
  };
  return {
    set: (_t, key) => fail(key),
    defineProperty: (_t, key) => fail(key),
    deleteProperty: (_t, key) => fail(key),
    setPrototypeOf: () => fail(),
  };
}
