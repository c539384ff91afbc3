import { describe, expect, it } from 'vitest';
import { Lockout, NIL_KEY, formatLockoutKey, parseLockoutKey } from '../../../../plugins/dripline/_lib/lockout.ts';
import { senderInfo } from '../../../../plugins/dripline/_lib/sender-info.ts';

describe('lockout keys', () => {
  it('reads 32 hex digits with or without UUID dashes; empty is the nil key; anything else is invalid', () => {
    expect(parseLockoutKey('0123456789ABCDEF0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    expect(parseLockoutKey('01234567-89ab-cdef-0123-456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    expect(parseLockoutKey('')).toBe(NIL_KEY);
    expect(parseLockoutKey('00000000-0000-0000-0000-000000000000')).toBe(NIL_KEY);
    expect(parseLockoutKey('not-a-key')).toBeUndefined();
    expect(parseLockoutKey('0123456789abcdef')).toBeUndefined();
  });

  it('formats keys as UUIDs, as dripline-cpp sends them', () => {
    expect(formatLockoutKey('0123456789abcdef0123456789abcdef')).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });

  it('a lock admits only its key; locking with the nil key generates one', () => {
    const lock = new Lockout();
    expect(lock.admits(NIL_KEY)).toBe(true);
    const key = lock.lock(NIL_KEY, senderInfo('test'));
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(lock.locked).toBe(true);
    expect(lock.admits(key)).toBe(true);
    expect(lock.admits(NIL_KEY)).toBe(false);
    expect(lock.tag?.service_name).toBe('test');
    lock.unlock();
    expect(lock.locked).toBe(false);
  });
});
