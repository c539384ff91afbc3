import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { declaredNames, ownExportFilter } from '../../src/own-exports.ts';

describe('declaredNames', () => {
  it('finds functions, classes, variables and destructured names the file declares', () => {
    const src = [
      'export function a() {}',
      'export async function b() {}',
      'export function* gen() {}',
      'export class C {}',
      'export const d = () => 1;',
      'let e = 1; var f = 2;',
      'export const { g, h: renamed, i = 3 } = obj;',
    ].join('\n');

    expect([...declaredNames(src)].sort()).toEqual(['C', 'a', 'b', 'd', 'e', 'f', 'g', 'gen', 'i', 'renamed']);
  });

  it('does not count imports or re-exports', () => {
    const src = "import { x } from './x.ts';\nexport { x };\nexport { y } from './y.ts';\nexport * from './z.ts';\n";

    expect([...declaredNames(src)]).toEqual([]);
  });
});

describe('ownExportFilter', () => {
  it('keeps an export the file declares, under its own name or another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tspop-own-'));
    const file = join(dir, 'plugin.ts');
    writeFileSync(file, "import { readFileSync } from 'node:fs';\nfunction impl() {}\nexport { impl as run, readFileSync };\n");
    const isOwn = ownExportFilter(file);

    expect(isOwn('run', { name: 'impl' })).toBe(true);
    expect(isOwn('readFileSync', { name: 'readFileSync' })).toBe(false);
    rmSync(dir, { recursive: true });
  });
});
