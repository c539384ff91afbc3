import { describe, it, expect } from 'vitest';
import { normalizeVirtual } from '../../src/virtual-result.ts';

describe('normalizeVirtual (what __virtual__ may return)', () => {
  it.each([
    [true, { ok: true, reason: '' }],
    [false, { ok: false, reason: '__virtual__ returned false' }],
    ['needs linux', { ok: false, reason: 'needs linux' }],
    [[true], { ok: true, reason: '' }],
    [[true, 'probe passed'], { ok: true, reason: 'probe passed' }],
    [[false], { ok: false, reason: '__virtual__ returned false' }],
    [[false, 'no driver'], { ok: false, reason: 'no driver' }],
  ])('%j -> %j', (result, verdict) => {
    expect(normalizeVirtual(result)).toEqual(verdict);
  });

  it.each([undefined, null, 1, {}, ['yes']])('anything else (%j) is a plugin bug, reported as a failure', (result) => {
    const verdict = normalizeVirtual(result);

    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/expected true, false, a reason string or \[ok, reason\]/);
  });
});
