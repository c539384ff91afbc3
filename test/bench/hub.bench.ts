/**
 * Hub core costs: a hub call against a direct call, with a pre contract, through `hub._`, and hub creation plus
 * adding a sub of 10/100/1000 plugin files (.ts through tsx, and .js), eager and lazy.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hub } from '../../src/index.ts';
import { measureLoop, measureOnce, report, section } from './lib.ts';

function makeCallFixture(root: string): void {
  mkdirSync(join(root, 'calls', 'contracts'), { recursive: true });
  mkdirSync(join(root, 'guarded', 'contracts'), { recursive: true });
  const body = `
export function add1(hub, x) { return x + 1; }
export function viaSelf(hub, x) { return hub._.add1(x); }
`;
  writeFileSync(join(root, 'calls', 'math.js'), body);
  writeFileSync(join(root, 'guarded', 'math.js'), body);
  // eight look-alike modules: one call site rotating through them defeats inlining, like real plugin-heavy code
  mkdirSync(join(root, 'many'), { recursive: true });
  for (let i = 0; i < 8; i++) writeFileSync(join(root, 'many', `m${i}.js`), `export function add1(hub, x) { return x + ${i + 1}; }\n`);
  writeFileSync(join(root, 'guarded', 'contracts', 'math.js'), `export function pre_add1(hub, ctx) { if (typeof ctx.args[0] !== 'number') throw new TypeError('x'); }\n`);
}

function makePlugins(dir: string, count: number, ext: 'ts' | 'js'): void {
  mkdirSync(dir, { recursive: true });
  const typed = ext === 'ts';
  for (let i = 0; i < count; i++) {
    const src = typed
      ? `import type { Hub } from 'tspop';\nexport function f${i}(hub: Hub, x: number): number { return x + ${i}; }\nexport function g${i}(hub: Hub): string { return 'g${i}'; }\n`
      : `export function f${i}(hub, x) { return x + ${i}; }\nexport function g${i}(hub) { return 'g${i}'; }\n`;
    writeFileSync(join(dir, `plugin_${String(i).padStart(4, '0')}.${ext}`), src);
  }
}

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tspop-bench-'));
  try {
    // a host project is an ES module package; without this Node would treat the .js plugins as CommonJS
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-host', type: 'module' }));
    makeCallFixture(root);
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: join(root, 'calls') });
    await hub.pop.sub.add({ staticDir: join(root, 'guarded') });
    const direct = (await import(pathToFileURL(join(root, 'calls', 'math.js')).href)) as { add1(h: unknown, x: number): number };

    section('hub calls (goal: within 5x of a direct call and under 25 ns)');
    const calls = hub.calls;
    const guarded = hub.guarded;
    const base = measureLoop('direct call add1(hub, x)', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += direct.add1(hub, i);
      return s;
    });
    report(base);
    const viaHub = measureLoop('hub.calls.math.add1(x)', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += calls.math.add1(i);
      return s;
    });
    report(viaHub, base, { maxRatio: 5 });
    const fullPath = measureLoop('hub.calls.math.add1(x), full lookup each call', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += hub.calls.math.add1(i);
      return s;
    });
    report(fullPath, base, { maxRatio: 5 });
    console.log(`  ${'hub call under 25 ns'.padEnd(58)} ${fullPath.nsPerOp < 25 ? 'met' : 'MISSED'} (${fullPath.nsPerOp.toFixed(1)} ns)`);
    const withPre = measureLoop('hub.guarded.math.add1(x) with a pre contract', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += guarded.math.add1(i);
      return s;
    });
    report(withPre, base);
    const self = measureLoop('hub.calls.math.viaSelf(x) -> hub._.add1(x)', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += calls.math.viaSelf(i);
      return s;
    });
    report(self, base);
    await hub.pop.sub.add({ staticDir: join(root, 'many') });
    const directs = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(async (i) => (await import(pathToFileURL(join(root, 'many', `m${i}.js`)).href)) as { add1(h: unknown, x: number): number }));
    const mods = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => hub.many[`m${i}`] as { add1(x: number): number });
    const baseMega = measureLoop('direct call, 8 functions at one call site', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (directs[i & 7] as { add1(h: unknown, x: number): number }).add1(hub, i);
      return s;
    });
    report(baseMega);
    const hubMega = measureLoop('hub call, 8 modules at one call site', (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (mods[i & 7] as { add1(x: number): number }).add1(i);
      return s;
    });
    report(hubMega, baseMega, { maxRatio: 5 });
    console.log(`  ${'megamorphic hub call under 25 ns'.padEnd(58)} ${hubMega.nsPerOp < 25 ? 'met' : 'MISSED'} (${hubMega.nsPerOp.toFixed(1)} ns)`);
    console.log('  (pop 8.2 on Python 3.11: 2.7 µs per hub call, 3.9 µs with a pre contract)');
    await hub.close();

    // in this process every import goes through tsx's hooks (npm run bench runs under tsx), so eager figures here
    // are not what a host sees: loader.bench.ts measures eager loading in fresh plain-Node processes
    section('hub creation + adding a sub, in this process under tsx (lazy goal: 1000 files under 300 ms; eager: see the loader section)');
    for (const ext of ['ts', 'js'] as const) {
      for (const count of [10, 100, 1000]) {
        const dir = join(root, `p${count}${ext}`);
        makePlugins(dir, count, ext);
        // a fresh copy per round: ES modules are cached per URL, so re-adding the same files would measure the cache
        const copies = [0, 1, 2].map((r) => `${dir}_${r}`);
        for (const c of copies) makePlugins(c, count, ext);
        let i = 0;
        const eager = await measureOnce(`Hub.create + add ${count} .${ext} files (eager)`, async () => {
          const h = await Hub.create({ root });
          await h.pop.sub.add({ staticDir: copies[i++] as string, subname: 'p' });
        }, 3);
        report(eager);
        const lazy = await measureOnce(`Hub.create + add ${count} .${ext} files (lazy: true)`, async () => {
          const h = await Hub.create({ root });
          await h.pop.sub.add({ staticDir: dir, subname: 'p', lazy: true });
          await h.close();
        }, 3);
        report(lazy);
        if (count === 1000) console.log(`  1000 .${ext} files, lazy, under 300 ms: ${lazy.nsPerOp < 300e6 ? 'met' : 'MISSED'}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
