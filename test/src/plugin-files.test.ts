import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { compareNames, listPluginFiles, listSubDirs } from '../../src/plugin-files.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tspop-files-'));
  for (const f of ['zeta.ts', 'alpha.mjs', 'beta.js', 'Gamma.cts', '_helper.ts', '.hidden.ts', 'types.d.ts', 'alpha.test.ts', 'speed.bench.ts', 'notes.md', 'data.json']) {
    writeFileSync(join(dir, f), '');
  }
  for (const d of ['nested', 'Upper', 'contracts', 'recursive_contracts', 'node_modules', '__pycache__', '_private', '.git']) {
    mkdirSync(join(dir, d));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listPluginFiles', () => {
  it('lists script files in name order; `_` and `.` files, type declarations, tests and benches are not plugins', () => {
    expect(listPluginFiles(dir).map((f) => f.name)).toEqual(['Gamma', 'alpha', 'beta', 'zeta']);
    expect(listPluginFiles(dir)[1]).toEqual({ name: 'alpha', path: join(dir, 'alpha.mjs') });
  });

  it('a missing folder has no plugins', () => {
    expect(listPluginFiles(join(dir, 'missing'))).toEqual([]);
  });
});

describe('listSubDirs', () => {
  it('lists folders that can become nested subs, in name order', () => {
    expect(listSubDirs(dir)).toEqual(['Upper', 'nested']);
  });
});

describe('compareNames', () => {
  it('orders by code unit, like Python’s sorted(): upper case before lower case', () => {
    expect(['b', 'a', 'B', '_x', 'a1'].sort(compareNames)).toEqual(['B', '_x', 'a', 'a1', 'b']);
  });
});
