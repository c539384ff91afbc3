import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, afterEach, afterAll } from 'vitest';
import { NodeModuleLoader } from '../../src/module-loader.ts';
import { HubOptionsError } from '../../src/index.ts';
import { fixture, tempDir, removeTempDirs } from '../helpers/fixtures.ts';
import { loadInChild } from '../helpers/load-in-child.ts';

afterAll(removeTempDirs);

afterEach(() => {
  delete process.env.TSPOP_TS_LOADER;
});

describe('NodeModuleLoader', () => {
  it('under a TS loader (vitest here) imports .ts directly, so plugins share the host’s module instances', async () => {
    const own = await import('../../src/tokens.ts');

    const loaded = await new NodeModuleLoader().load(fixture('..', '..', 'src', 'tokens.ts'));

    expect(loaded).toBe(own);
  });

  it('TSPOP_TS_LOADER=transform selects the transforming loader even where a TS loader is present', async () => {
    process.env.TSPOP_TS_LOADER = 'transform';
    const cacheDir = tempDir('tspop-cache-mode-');
    const own = await import('../../src/tokens.ts');

    const loaded = await new NodeModuleLoader({ cacheDir }).load(fixture('..', '..', 'src', 'tokens.ts'));

    expect(loaded).not.toBe(own);
    expect(loaded.HUB).toBe(own.HUB); // Symbol.for tokens survive a second copy
  });

  it('an unknown mode is a coded error', () => {
    process.env.TSPOP_TS_LOADER = 'babel';

    expect(() => new NodeModuleLoader()).toThrow(HubOptionsError);
  });

  it('stack traces of transformed plugins name the original .ts file, line and column', async () => {
    const cacheDir = tempDir('tspop-cache-stack-');
    const file = fixture('ts-loader', 'stack', 'thrower.ts');

    for (const run of ['cold', 'warm']) {
      const { report, stderr } = await loadInChild([file], { cacheDir, call: 'fail' });

      expect(stderr, run).toBe('');
      const [message, top] = report.stack?.split('\n') ?? [];
      expect(message, run).toBe('Error: failed: on purpose');
      expect(top?.endsWith(`fail (${file}:6:9)`), `${run}: ${top}`).toBe(true);
    }
  });

  it('an import between plugin files that fails to link names the .ts files, not their cache copies', async () => {
    const cacheDir = tempDir('tspop-cache-link-');
    const dir = tempDir('tspop-link-');
    writeFileSync(join(dir, '_h.ts'), 'export const there = 1;\n');
    writeFileSync(join(dir, 'v.ts'), "import { missing } from './_h.js';\nexport const x = (): unknown => missing;\n");

    // in a plain node process: vitest's module runner links ES modules loosely (a missing export is undefined)
    for (const run of ['cold', 'warm']) {
      const { code, stderr } = await loadInChild([join(dir, 'v.ts')], { cacheDir });

      expect(code, run).not.toBe(0);
      expect(stderr, run).toContain(`${join(dir, '_h.ts')}' does not provide an export named 'missing'`);
      expect(stderr, run).not.toContain(cacheDir);
    }
  });
});
