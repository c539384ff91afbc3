import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ownModule } from '../../src/own-module.ts';
import { bundleSource } from '../helpers/bundle-source.ts';
import { tempDir, removeTempDirs } from '../helpers/fixtures.ts';

afterAll(removeTempDirs);

/** A plain-Node process (no TS loader) loads `stem` next to a compiled parent, as tspop's bins and config do. */
const SCRIPT = `
const [bundle, parent, stem] = process.argv.slice(1);
const { ownModule } = await import(bundle);
globalThis.runs = 0;
let fallback = 0;
const mod = await ownModule(parent, stem, async () => (fallback++, import(new URL(stem + '.js', parent).href)));
const again = await import(new URL(stem + '.js', parent).href);
console.log(JSON.stringify({ value: mod.value, fallback, runs: globalThis.runs, same: mod === again }));
`;

function host(files: Record<string, string>): string {
  const dir = tempDir('tspop-own-module-');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function load(dir: string, stem: string, env: Record<string, string> = {}) {
  const bundle = await bundleSource('own-module');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, bundle, pathToFileURL(join(dir, 'parent.js')).href, stem], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { value: number; fallback: number; runs: number; same: boolean };
}

describe('ownModule', () => {
  const plain = 'globalThis.runs++; export const value = 1;\n';

  it('requires a compiled module where Node can: one instance, run once, import() not needed', async () => {
    const r = await load(host({ 'm.js': plain }), './m');
    expect(r).toEqual({ value: 1, fallback: 0, runs: 1, same: true });
  });

  it('falls back to import() for a module require() declines (top-level await), which then runs once', async () => {
    const r = await load(host({ 'm.js': 'globalThis.runs++; export const value = await Promise.resolve(2);\n' }), './m');
    expect(r).toEqual({ value: 2, fallback: 1, runs: 1, same: true });
  });

  it('imports when TSPOP_REQUIRE_ESM=0 (a host that registers loader hooks at run time)', async () => {
    const r = await load(host({ 'm.js': plain }), './m', { TSPOP_REQUIRE_ESM: '0' });
    expect(r).toEqual({ value: 1, fallback: 1, runs: 1, same: true });
  });

  it('from sources (a .ts parent, as under vitest) imports', async () => {
    let called = 0;
    const mod = await ownModule(import.meta.url, './x', async () => (called++, { value: 3 }));
    expect(mod).toEqual({ value: 3 });
    expect(called).toBe(1);
  });
});
