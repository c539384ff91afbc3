import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture, tempDir, removeTempDirs } from '../../helpers/fixtures.ts';
import { loadInChild } from '../../helpers/load-in-child.ts';

afterAll(removeTempDirs);

describe('one cache shared by concurrent processes', () => {
  it('four processes compiling the same cold tree at once all load it, and leave only whole files', async () => {
    const dir = copyFixture('ts-loader');
    const files = [join(dir, 'mods', 'greet.ts'), join(dir, 'mods', 'lazy.ts')];
    for (let i = 0; i < 40; i++) {
      const path = join(dir, 'mods', `gen_${i}.ts`);
      writeFileSync(path, `import { shout } from './_words.ts';\nexport function f${i}(_hub: unknown): string { return shout('${i}'); }\n`);
      files.push(path);
    }
    const cacheDir = tempDir('tspop-cache-shared-');

    const runs = await Promise.all([1, 2, 3, 4].map(() => loadInChild(files, { cacheDir })));

    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(Object.keys(run.report.exports)).toHaveLength(files.length);
      expect(run.report.exports[join(dir, 'mods', 'gen_7.ts')]).toEqual(['f7']);
    }
    const entries = [...readdirSync(join(cacheDir, 'm')), ...readdirSync(join(cacheDir, 't'))];
    expect(entries.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // one module per file (the 40 generated, greet, lazy, _words, _cycle), whichever process wrote it
    expect(readdirSync(join(cacheDir, 'm'))).toHaveLength(44);
  });
});
