/** Shell-style matching, as Python's fnmatch on POSIX: `*`, `?`, `[seq]`, `[!seq]`; whole name, case-sensitive. */
import type { Hub } from '../../../src/index.ts';
import { fnmatch } from '../_lib/fnmatch.ts';

export function find(_hub: Hub, name: string, pattern: string): boolean {
  return fnmatch(name, pattern);
}
