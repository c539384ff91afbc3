import { describe, it, expect, afterAll } from 'vitest';
import { tempDir, removeTempDirs } from '../../helpers/fixtures.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDirFor } from '../../../src/loader/cache-dir.ts';

afterAll(removeTempDirs);

describe('cacheDirFor', () => {
  it('is node_modules/.cache/tspop of the package holding the root', () => {
    const pkg = tempDir('tspop-pkg-');
    writeFileSync(join(pkg, 'package.json'), '{}');
    mkdirSync(join(pkg, 'node_modules'));
    mkdirSync(join(pkg, 'src', 'deep'), { recursive: true });

    const dir = cacheDirFor(join(pkg, 'src', 'deep'));

    expect(dir.root).toBe(join(pkg, 'node_modules', '.cache', 'tspop'));
    expect(existsSync(dir.modules) && existsSync(dir.transformed)).toBe(true);
  });

  it('without a node_modules folder it is a private folder of this user in the temp dir', () => {
    const pkg = tempDir('tspop-nomods-');
    writeFileSync(join(pkg, 'package.json'), '{}');

    const dir = cacheDirFor(pkg);

    expect(dir.root.startsWith(tmpdir())).toBe(true);
    expect(dir.root).not.toContain(pkg);
  });

  it('an explicit folder wins', () => {
    const explicit = join(tempDir('tspop-explicit-'), 'cache');

    expect(cacheDirFor(process.cwd(), explicit).root).toBe(explicit);
  });
});
