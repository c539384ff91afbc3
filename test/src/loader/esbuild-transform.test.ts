import { describe, it, expect, afterAll } from 'vitest';
import { fixture, tempDir, removeTempDirs } from '../../helpers/fixtures.ts';
import { loadInChild } from '../../helpers/load-in-child.ts';

afterAll(removeTempDirs);

describe('the esbuild service', () => {
  it('is stopped when the transforms are done: a process that loaded .ts plugins has no child left and exits by itself', async () => {
    const cacheDir = tempDir('tspop-cache-child-');
    const files = [fixture('ts-loader', 'mods', 'greet.ts'), fixture('ts-loader', 'stack', 'thrower.ts')];

    const cold = await loadInChild(files, { cacheDir });

    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
    expect(cold.report.exports[files[0] as string]).toEqual(['hello', 'meta']);
    expect(cold.report.children).toEqual([]);
    // nothing holds the event loop: the child ends on its own, well before any idle timeout would
    expect(cold.ms).toBeLessThan(15_000);
  });
});
