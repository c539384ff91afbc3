import { describe, it, expect, afterAll } from 'vitest';
import { tempDir, removeTempDirs } from '../../helpers/fixtures.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsconfigOptionsFor } from '../../../src/loader/tsconfig-options.ts';
import { ModTransformError } from '../../../src/index.ts';

afterAll(removeTempDirs);

function tree(files: Record<string, string>): string {
  const root = tempDir('tspop-tsconfig-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('tsconfigOptionsFor', () => {
  it('legacy decorators are on where no tsconfig says otherwise', () => {
    const root = tree({ 'node_modules/pkg/a.ts': '' });

    expect(tsconfigOptionsFor(join(root, 'node_modules', 'pkg'), new Map())).toEqual({ experimentalDecorators: true });
  });

  it('the nearest tsconfig.json wins, its extends chain is followed, and only options esbuild uses are kept', () => {
    const root = tree({
      'tsconfig.base.json': '{ "compilerOptions": { "useDefineForClassFields": false, "jsx": "react-jsx", "strict": true } }',
      'app/tsconfig.json': '{\n // comments are allowed\n "extends": "../tsconfig.base", "compilerOptions": { "experimentalDecorators": false, "jsx": "preserve", "outDir": "dist", },\n}',
      'app/plugins/x.ts': '',
    });

    expect(tsconfigOptionsFor(join(root, 'app', 'plugins'), new Map())).toEqual({
      experimentalDecorators: false, useDefineForClassFields: false, jsx: 'preserve', strict: true,
    });
  });

  it('a tsconfig that does not parse is a coded error naming it', () => {
    const root = tree({ 'tsconfig.json': '{ "compilerOptions": ' });

    expect(() => tsconfigOptionsFor(root, new Map())).toThrow(ModTransformError);
  });

  it('an extends loop is a coded error, not a hang', () => {
    const root = tree({ 'tsconfig.json': '{ "extends": "./b.json" }', 'b.json': '{ "extends": "./tsconfig.json" }' });

    expect(() => tsconfigOptionsFor(root, new Map())).toThrow(ModTransformError);
  });
});
