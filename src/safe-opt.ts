import type { Opt } from './types.ts';

const EMPTY = Object.freeze({});

/**
 * hub.OPT as plugins read it: deep-frozen, and a namespace nobody loaded reads as an empty frozen object, so
 * `hub.OPT.acct.acct_file` is `undefined` (not a TypeError) before `hub.pop.config.load` or without acct options.
 */
export function safeOpt(frozen: Readonly<Record<string, unknown>>): Opt {
  return new Proxy(frozen, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') return EMPTY;
      return Reflect.get(target, key, receiver);
    },
  }) as Opt;
}
