/** Regular-expression matching: the acct profile name must match the whole event profile (Python's re.fullmatch). */
import type { Hub } from '../../../src/index.ts';

const cache = new Map<string, RegExp>();

export function find(_hub: Hub, name: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`); // a bad pattern throws SyntaxError; start() reports it per profile
    if (cache.size >= 1024) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(name);
}
