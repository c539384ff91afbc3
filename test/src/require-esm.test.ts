import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSource } from '../helpers/bundle-source.ts';
import { tempDir, removeTempDirs } from '../helpers/fixtures.ts';

afterAll(removeTempDirs);

/**
 * A plain-Node host (no TS loader, so the loader may require() ES modules) adds a folder of every kind of plugin
 * file; each must load once, with import()'s namespace, whichever way Node took.
 */
const SCRIPT = `
const [bundle, root, hook] = process.argv.slice(1);
if (hook) (await import('node:module')).register(hook);
const { Hub } = await import(bundle);
globalThis.runs = {};
const hub = await Hub.create({ root });
await hub.pop.sub.add({ staticDir: root + '/p', subname: 'p' });
const own = await import(root + '/p/esm.js');
console.log(JSON.stringify({
  failures: hub.pop.sub.failures(hub.p).map((f) => f.code + ' ' + f.message),
  runs: globalThis.runs,
  esm: hub.p.esm.get(), sameInstance: own.bump() === 2 && hub.p.esm.get() === 2,
  cycle: hub.p.cyc_a.a(), tla: hub.p.tla.t(), cjs: hub.p.legacy.c(), mts: hub.p.plain.m(), ts: hub.p.typed.t(),
  hooked: globalThis.hooked === true,
}));
`;

/** A load hook registered at run time, which marks esm.js when it sees it. */
const HOOK = `data:text/javascript,${encodeURIComponent(`export async function load(url, context, next) {
  const r = await next(url, context);
  return url.endsWith('/p/esm.js') ? { ...r, source: 'globalThis.hooked = true;' + String(r.source) } : r;
}`)}`;

function plugins(): string {
  const root = tempDir('tspop-require-esm-');
  const p = join(root, 'p');
  mkdirSync(p);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'host', type: 'module' }));
  const ran = (name: string) => `globalThis.runs[${JSON.stringify(name)}] = (globalThis.runs[${JSON.stringify(name)}] ?? 0) + 1;\n`;
  writeFileSync(join(p, 'esm.js'), `${ran('esm')}let n = 1;\nexport function get(_hub) { return n; }\nexport function bump() { return ++n; }\n`);
  writeFileSync(join(p, 'cyc_a.js'), `${ran('cyc_a')}import { b } from './cyc_b.js';\nexport function a(_hub) { return 'a' + b(); }\nexport const A = 'A';\n`);
  writeFileSync(join(p, 'cyc_b.js'), `${ran('cyc_b')}import { A } from './cyc_a.js';\nexport function b() { return A; }\n`);
  writeFileSync(join(p, 'tla.js'), `${ran('tla')}const v = await new Promise((r) => setTimeout(() => r('late'), 20));\nexport function t(_hub) { return v; }\n`);
  writeFileSync(join(p, 'legacy.cjs'), `${ran('legacy')}exports.c = function c(_hub) { return 'cjs'; };\n`);
  writeFileSync(join(p, 'plain.mjs'), `${ran('plain')}export function m(_hub) { return 'mjs'; }\n`);
  writeFileSync(join(p, 'typed.ts'), `${ran('typed')}export function t(_hub: unknown): string { return 'ts'; }\n`);
  return root;
}

async function run(root: string, env: NodeJS.ProcessEnv, hook = ''): Promise<{ stderr: string; report: Record<string, unknown> }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TSPOP_CACHE_DIR: join(root, 'cache'), TSPOP_TS_LOADER: 'transform', ...env };
  delete childEnv.NODE_OPTIONS;
  delete childEnv.VITEST;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, await bundleSource('index'), root, hook], { env: childEnv, encoding: 'utf8' });
  return { stderr: r.stderr, report: JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as Record<string, unknown> };
}

const LOADED = {
  failures: [],
  runs: { esm: 1, cyc_a: 1, cyc_b: 1, tla: 1, legacy: 1, plain: 1, typed: 1 },
  esm: 1, sameInstance: true,
  cycle: 'aA', tla: 'late', cjs: 'cjs', mts: 'mjs', ts: 'ts',
};

describe('loading plugins with require() where Node can (plain-Node host)', () => {
  it('ES modules, a cycle, top-level await, CommonJS and TS each load once, as import() would', async () => {
    const { stderr, report } = await run(plugins(), {});

    expect(stderr).toBe('');
    expect(report).toEqual({ ...LOADED, hooked: false });
  });

  it('TSPOP_REQUIRE_ESM=0 imports them all, so hooks a host registers at run time see them', async () => {
    const { stderr, report } = await run(plugins(), { TSPOP_REQUIRE_ESM: '0' }, HOOK);

    expect(stderr).toBe('');
    expect(report).toEqual({ ...LOADED, hooked: true });
  });
});
