import { describeError } from '../src/errors.ts';

/**
 * A one-line description of `err` safe to log: a plugin's error message may carry a connection URL, so the
 * password part of every `scheme://user:password@` is masked.
 */
export function safeMessage(err: unknown): string {
  return describeError(err)
    .split('\n')[0]!
    .replace(/([a-z][\w+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, '$1:***@');
}
