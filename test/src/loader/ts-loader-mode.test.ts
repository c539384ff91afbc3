import { describe, it, expect, afterEach } from 'vitest';
import { resolveTsLoaderMode, hasTypeScriptLoader } from '../../../src/loader/ts-loader-mode.ts';
import { HubOptionsError } from '../../../src/index.ts';

afterEach(() => {
  delete process.env.TSPOP_TS_LOADER;
});

describe('resolveTsLoaderMode', () => {
  // tspop runs from its sources here, through vitest's transform; installed, vitest externalises it (test/package)
  it('auto imports .ts natively where a TS loader runs tspop itself (vitest here)', () => {
    expect(hasTypeScriptLoader()).toBe(true);
    expect(resolveTsLoaderMode(undefined)).toBe('native');
    expect(resolveTsLoaderMode('auto')).toBe('native');
  });

  it('the option beats TSPOP_TS_LOADER, which beats auto', () => {
    process.env.TSPOP_TS_LOADER = 'transform';

    expect(resolveTsLoaderMode(undefined)).toBe('transform');
    expect(resolveTsLoaderMode('native')).toBe('native');
  });

  it('an unknown value is a HubOptionsError', () => {
    expect(() => resolveTsLoaderMode('swc' as never)).toThrow(HubOptionsError);
    process.env.TSPOP_TS_LOADER = 'swc';
    expect(() => resolveTsLoaderMode(undefined)).toThrow(HubOptionsError);
  });
});
