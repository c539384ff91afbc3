/**
 * The transforming loader under vitest: each test uses its own cache folder and a fixture tree (test/fixtures/ts-loader)
 * that imports nothing of tspop's own sources, so its modules may be fresh copies without splitting any identity the
 * test relies on.
 */
import { describe, it, expect, beforeEach, afterAll } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NodeModuleLoader } from '../../../src/module-loader.ts';
import { Hub, MODULE_LOADER, ModTransformError, type Hub as HubType, type LoadFailure } from '../../../src/index.ts';
import { copyFixture, fixture, tempDir, removeTempDirs } from '../../helpers/fixtures.ts';

afterAll(removeTempDirs);

type Mod = Record<string, (...args: unknown[]) => unknown>;

let cacheDir: string;
let loader: NodeModuleLoader;

beforeEach(() => {
  cacheDir = tempDir('tspop-cache-test-');
  loader = new NodeModuleLoader({ ts: 'transform', cacheDir });
});

async function load(path: string, fresh = false): Promise<Mod> {
  return (await loader.load(path, { fresh })) as Mod;
}

describe('loading a .ts file in place, without loader hooks', () => {
  it('imports relative TS files (written as .js or .ts, in a cycle), a JS sibling and a package of its own node_modules', async () => {
    const greet = await load(fixture('ts-loader', 'mods', 'greet.ts'));

    expect(greet.hello?.(undefined, 'ann')).toBe('ANN! !! hello from the fixture’s own greeting-lib (import condition)');
  });

  it('import.meta.url, dirname, filename and resolve() are the original file’s, so assets beside it are found', async () => {
    const path = fixture('ts-loader', 'mods', 'greet.ts');
    const greet = await load(path);

    expect(greet.meta?.(undefined)).toEqual({
      url: pathToFileURL(path).href,
      dirname: fixture('ts-loader', 'mods'),
      filename: path,
      asset: fixture('ts-loader', 'mods', '_asset.txt'),
      resolved: pathToFileURL(fixture('ts-loader', 'mods', '_asset.txt')).href,
    });
  });

  it('a dynamic import of a sibling loads the sibling’s compiled copy', async () => {
    const lazy = await load(fixture('ts-loader', 'mods', 'lazy.ts'));

    await expect(lazy.load?.(undefined)).resolves.toBe('LATER!');
  });

  it('a file and its dependencies are one module instance each, however many files import them', async () => {
    const words = await load(fixture('ts-loader', 'mods', '_words.ts'));
    const again = await load(fixture('ts-loader', 'mods', '_words.ts'));

    expect(again).toBe(words);
  });

  it('a legacy-decorated tsyringe class plugin gets its hub through @inject(HUB)', async () => {
    const hub = await transformingHub(fixture('ts-loader'));
    await hub.pop.sub.add({ staticDir: fixture('ts-loader', 'classes'), subname: 'classy' });

    expect((hub.classy.greeter as Mod).hello?.('bob')).toBe('polite hello bob from greeter');
  });

  it('emitDecoratorMetadata (tsconfig) gives tsyringe the constructor’s parameter types; decorator helpers come from tspop’s own install', async () => {
    const dir = copyFixture('ts-loader');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true } }');
    // the copy is outside the repository: its plugins find tspop's own tsyringe (one instance) through a link
    symlinkSync(fixture('..', '..', 'node_modules', 'tsyringe'), join(dir, 'node_modules', 'tsyringe'));
    writeFileSync(join(dir, 'classes', 'typed.ts'), [
      `import { inject, injectable } from 'tsyringe';`,
      `@injectable()`,
      `export class Clock { now(): string { return 'tick'; } }`,
      `@injectable()`,
      `export default class Typed {`,
      `  constructor(@inject(Symbol.for('tspop.Hub')) private readonly hub: { _: { name: string } }, private readonly clock: Clock) {}`,
      `  time(): string { return \`\${this.clock.now()} in \${this.hub._.name}\`; }`,
      `}`,
      '',
    ].join('\n'));
    const hub = await transformingHub(dir);

    await hub.pop.sub.add({ staticDir: join(dir, 'classes'), subname: 'typed' });

    expect(hub.pop.sub.failures(hub.typed)).toEqual([]);
    expect((hub.typed.typed as Mod).time?.()).toBe('tick in typed');
    const compiled = readdirSync(join(cacheDir, 'm')).filter((f) => f.startsWith('typed-')).map((f) => readFileSync(join(cacheDir, 'm', f), 'utf8'));
    const runtime = pathToFileURL(fixture('..', '..', 'node_modules', '@oxc-project', 'runtime')).href;
    expect(compiled.join('')).toContain(`from "${runtime}/`);
  });

  it('honours the nearest tsconfig.json: with experimentalDecorators off, parameter decorators do not compile', async () => {
    const dir = copyFixture('ts-loader');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "experimentalDecorators": false } }');

    await expect(load(join(dir, 'classes', 'greeter.ts'))).rejects.toBeInstanceOf(ModTransformError);
  });

  it('.mts and .cts files load too; a .cts file’s require and __dirname are the original’s', async () => {
    const dir = copyFixture('ts-loader');
    writeFileSync(join(dir, 'mods', 'esm.mts'), `export const kind: string = 'mts';\nexport const where: string = import.meta.filename;\n`);
    writeFileSync(join(dir, 'mods', 'common.cts'), [
      `const { greeting } = require('greeting-lib');`,
      `export const where: string = __dirname;`,
      `export const lib: string = greeting;`,
      '',
    ].join('\n'));

    expect(await load(join(dir, 'mods', 'esm.mts'))).toMatchObject({ kind: 'mts', where: join(dir, 'mods', 'esm.mts') });
    const common = await load(join(dir, 'mods', 'common.cts'));
    expect(common.where).toBe(join(dir, 'mods'));
    expect(common.lib).toBe('greeting-lib resolved with the require condition');
  });
});

describe('reload', () => {
  it('a fresh load picks up an edit of the file and of a TS file it imports', async () => {
    const dir = copyFixture('ts-loader');
    const greetPath = join(dir, 'mods', 'greet.ts');
    expect((await load(greetPath)).hello?.(undefined, 'a')).toMatch(/^A! /);

    writeFileSync(join(dir, 'mods', '_words.ts'), readFileSync(join(dir, 'mods', '_words.ts'), 'utf8').replace("SUFFIX: string = '!'", "SUFFIX: string = '?'"));
    expect((await load(greetPath, true)).hello?.(undefined, 'a')).toMatch(/^A\? /);

    writeFileSync(greetPath, readFileSync(greetPath, 'utf8').replace('${shout(name)}', '${shout(name)} edited'));
    expect((await load(greetPath, true)).hello?.(undefined, 'a')).toMatch(/^A\? edited /);
  });

  it('a fresh load of an unchanged file runs it again (module state starts over), as pop’s reload does', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'count.ts');
    writeFileSync(path, 'let n = 0;\nexport function next(_hub: unknown): number { return ++n; }\n');
    const first = await load(path);
    first.next?.(undefined);

    expect((await load(path, true)).next?.(undefined)).toBe(1);
  });

  it('reload through the hub sees an edited dependency', async () => {
    const dir = copyFixture('ts-loader');
    const hub = await transformingHub(dir);
    await hub.pop.sub.add({ staticDir: join(dir, 'mods'), subname: 'mods' });
    expect((hub.mods.greet as Mod).hello?.('x')).toMatch(/^X! /);

    writeFileSync(join(dir, 'mods', '_cycle.ts'), 'import { SUFFIX } from \'./_words.ts\';\nexport function exclaim(word: string): string { return `${word}${SUFFIX}${SUFFIX}`; }\n');
    await hub.pop.sub.reload('mods');

    expect((hub.mods.greet as Mod).hello?.('x')).toMatch(/^X!! /);
  });
});

describe('errors', () => {
  it('a syntax error is TSPOP_ERR_MOD_TRANSFORM naming file:line:column', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'bad.ts');
    writeFileSync(path, 'export function fine(_hub: unknown): number {\n  return 1;\n}\n\nexport function broken(): number {\n  return 1 +;\n}\n');

    const err = (await load(path).catch((e: unknown) => e)) as InstanceType<typeof ModTransformError> & { line: number; column: number; file: string };

    expect(err).toBeInstanceOf(ModTransformError);
    expect(err.code).toBe('TSPOP_ERR_MOD_TRANSFORM');
    expect({ file: err.file, line: err.line, column: err.column }).toEqual({ file: path, line: 6, column: 13 });
    expect(err.message.startsWith(`${path}:6:13: `)).toBe(true);
  });

  it('a syntax error in a plugin fails that module with TSPOP_ERR_MOD_LOAD caused by TSPOP_ERR_MOD_TRANSFORM; its siblings load', async () => {
    const dir = copyFixture('ts-loader');
    writeFileSync(join(dir, 'mods', 'bad.ts'), 'export const x = ;\n');
    const hub = await transformingHub(dir);
    await hub.pop.sub.add({ staticDir: join(dir, 'mods'), subname: 'mods' });

    const failure = hub.pop.sub.failures(hub.mods).find((f: LoadFailure) => f.module === 'bad');
    expect((hub.mods.greet as Mod).hello?.('y')).toMatch(/^Y! /);
    expect(failure?.code).toBe('TSPOP_ERR_MOD_LOAD');
    expect((failure?.cause as { code?: string })?.code).toBe('TSPOP_ERR_MOD_TRANSFORM');
  });

  it('an import of a missing relative file fails naming the original file, as Node would', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'lost.ts');
    writeFileSync(path, "import { x } from './_nowhere.js';\nexport const y = x;\n");

    const err = (await load(path).catch((e: unknown) => e)) as NodeJS.ErrnoException;

    expect(err.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(err.message).toContain(`imported from ${path}`);
  });

  it('an import of a missing package fails with Node’s code, naming the original file', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'nopkg.ts');
    writeFileSync(path, "import { x } from 'no-such-package-here';\nexport const y = x;\n");

    const err = (await load(path).catch((e: unknown) => e)) as NodeJS.ErrnoException;

    expect(err.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(err.message).toContain(`imported from ${path}`);
  });
});

describe('the cache', () => {
  it('holds one module per plain file, and a warm load writes nothing', async () => {
    const path = fixture('ts-loader', 'stack', 'thrower.ts');
    await load(path);
    const before = readdirSync(join(cacheDir, 'm'));

    await new NodeModuleLoader({ ts: 'transform', cacheDir }).load(path);

    expect(before).toHaveLength(1);
    expect(readdirSync(join(cacheDir, 'm'))).toEqual(before);
    expect(readdirSync(join(cacheDir, 't'))).toEqual([]);
    expect(readdirSync(join(cacheDir, 'm')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('a warm start finds an unchanged file through its folder’s index, and still sees an edit that kept size and mtime', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'settled.ts');
    const past = new Date(Date.now() - 60_000);
    writeFileSync(path, "export const word: string = 'old';\n");
    utimesSync(path, past, past); // settled: files changed in the last two seconds are never indexed
    const first = await load(path);
    const indexes = readdirSync(join(cacheDir, 'i'));
    expect(indexes).toHaveLength(1);
    expect(Object.keys(JSON.parse(readFileSync(join(cacheDir, 'i', indexes[0] as string), 'utf8')).files)).toEqual(['settled.ts']);

    expect(await new NodeModuleLoader({ ts: 'transform', cacheDir }).load(path)).toBe(first);

    writeFileSync(path, "export const word: string = 'new';\n"); // same size
    utimesSync(path, past, past); // same mtime: only the change time tells
    expect((await new NodeModuleLoader({ ts: 'transform', cacheDir }).load(path)).word).toBe('new');
  });

  it('functions a TS plugin re-exports stay hidden, cold and through the index', async () => {
    const dir = copyFixture('ts-loader');
    const plugins = join(dir, 'reexports');
    mkdirSync(plugins);
    writeFileSync(join(plugins, '_helper.ts'), 'export function borrowed(_hub: unknown): string { return "no"; }\n');
    writeFileSync(join(plugins, 'mixed.ts'), "export { borrowed } from './_helper.ts';\nexport function own(_hub: unknown): string { return 'yes'; }\n");
    // no import to rewrite (a builtin), so this one is found through the folder's index on the second run
    writeFileSync(join(plugins, 'builtin.ts'), "export { readFileSync } from 'node:fs';\nexport function mine(_hub: unknown): string { return 'yes'; }\n");
    const past = new Date(Date.now() - 60_000);
    for (const f of ['_helper.ts', 'mixed.ts', 'builtin.ts']) utimesSync(join(plugins, f), past, past);

    for (const run of ['cold', 'indexed']) {
      loader = new NodeModuleLoader({ ts: 'transform', cacheDir });
      const hub = await transformingHub(dir);
      await hub.pop.sub.add({ staticDir: plugins, subname: 'rx' });

      expect(Object.keys(hub.rx.mixed as Mod), run).toEqual(['own']);
      expect(Object.keys(hub.rx.builtin as Mod), run).toEqual(['mine']);
    }
    const [index] = readdirSync(join(cacheDir, 'i'));
    expect(Object.keys(JSON.parse(readFileSync(join(cacheDir, 'i', index as string), 'utf8')).files).sort()).toEqual(['_helper.ts', 'builtin.ts']);
  });

  it('a file edited in the last two seconds is not indexed', async () => {
    const dir = copyFixture('ts-loader');
    const path = join(dir, 'mods', 'recent.ts');
    writeFileSync(path, "export const word: string = 'recent';\n");

    await load(path);

    expect(readdirSync(join(cacheDir, 'i'))).toEqual([]);
  });

  it('TSPOP_CACHE_DIR chooses the folder', async () => {
    const dir = tempDir('tspop-cache-env-');
    process.env.TSPOP_CACHE_DIR = dir;
    try {
      await new NodeModuleLoader({ ts: 'transform' }).load(fixture('ts-loader', 'stack', 'thrower.ts'));
    } finally {
      delete process.env.TSPOP_CACHE_DIR;
    }

    expect(existsSync(join(dir, 'm'))).toBe(true);
    expect(readdirSync(join(dir, 'm'))).toHaveLength(1);
  });
});

/** A hub whose MODULE_LOADER is the transforming loader (under vitest the default imports .ts directly). */
async function transformingHub(root: string): Promise<HubType> {
  const hub = await Hub.create({ root });
  hub.container.register(MODULE_LOADER, { useValue: loader });
  return hub;
}
