import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, scratchDir } from '../helpers/fixtures.ts';
import { binPath } from '../helpers/bins.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tspop = (args: string[], cwd: string) => spawnSync(process.execPath, [binPath('tspop'), ...args], { cwd, encoding: 'utf8' });

/**
 * A host project's compiler run over the generated file and one source file: tspop resolves to this repository's
 * sources (as an installed package resolves to its declarations), `.js` plugins are read through `allowJs`.
 */
function tsc(dir: string, source: string, resolution: { module: string; moduleResolution: string } = { module: 'NodeNext', moduleResolution: 'NodeNext' }) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host-check', type: 'module' }));
  writeFileSync(join(dir, 'app.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repo, 'tsconfig.json'),
      compilerOptions: {
        ...resolution, allowJs: true, checkJs: true, skipLibCheck: false, noUnusedLocals: false,
        paths: { tspop: [join(repo, 'src/index.ts')] }, typeRoots: [join(repo, 'node_modules/@types')],
      },
      include: [],
      files: ['hub.d.ts', 'app.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  const errors = [...r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+)/gm)].map((m) => ({ file: m[1], line: Number(m[2]), code: m[3] }));
  return { status: r.status, errors, output: r.stdout };
}

/** Writes the types of `dynes` for the host in `cwd` into a fresh folder, as the user would with --out. */
function generate(cwd: string, dynes: string[]): string {
  const dir = scratchDir();
  const r = tspop(['types', ...dynes, '--out', join(dir, 'hub.d.ts')], cwd);
  expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
  expect(r.stdout).toMatch(/^wrote .*hub\.d\.ts \(/);
  return dir;
}

const HEADER = "import { Hub } from 'tspop';\nconst hub = await Hub.create();\n";

/** One wrong use per line, with the error the host's editor must show on it. */
const MISUSES: ReadonlyArray<[code: string, line: string]> = [
  ['TS2345', "hub.greet.hello.say(1);                          // say(name: string)"],
  ['TS2554', "hub.greet.hello.say(hub, 'pop');                 // the hub is injected, not passed"],
  ['TS2551', 'hub.greet.hello.list_();                         // exposed by its __func_alias__ name, list'],
  ['TS2339', 'hub.greet.hello._helper();                       // _private names are not on the hub'],
  ['TS2339', 'hub.greet.hello.shared();                        // re-exported from a helper: not this module\'s'],
  ['TS2345', "hub.greet.speed.go('far');                       // the __virtualname__ winner (fast.ts) takes a number"],
  ['TS2339', 'hub.greet.slow;                                  // the refused backend is not on the hub'],
  ['TS2339', 'hub.greet.win;                                   // __virtual__ refused it here'],
  ['TS2339', 'hub.greet.contracts;                             // contracts are not on the hub'],
  ['TS2345', "hub.greet.formal.sir.address('Ann', 'Lord');      // nested sub, 'Sir' | 'Dame'"],
  ['TS2345', "hub.greet.greeter.welcome(1);                    // class plugin method"],
  ['TS2345', 'hub.greet.shout.loud(1);                         // JSDoc of a .js plugin'],
  ['TS2322', 'const calls: number = hub.greet.CALLS;           // state set in __init__ is unknown'],
  ['TS2322', 'hub.greet.hello.TIMES = "many";                  // module state keeps its declared type (number)'],
  ['TS2322', "hub.greet.hello.MODE = 'rude';                   // an unannotated const keeps its literal type"],
  ['TS2345', 'hub.hi.hello.say(2);                             // __sub_alias__ is the same sub'],
];

describe('tspop types: a host type-checks its hub', () => {
  it('is listed in --help with its --out option', () => {
    const r = tspop(['types', '--help'], repo);

    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: tspop types \[options\] \[dynes\.\.\.\]/);
    expect(r.stdout).toMatch(/--out/);
  });

  it('uses the plugins correctly: no error', { timeout: 120_000 }, () => {
    const dir = generate(fixture('types-host'), ['greet']);

    const r = tsc(
      dir,
      `${HEADER}
export const said: string = hub.greet.hello.say('pop');
export const later: Promise<string> = hub.greet.hello.later('ts');
export const listed: string[] = hub.greet.hello.list(1);
hub.greet.hello.TIMES += 1;
export const prefix: string = hub.greet.hello.PREFIX;
export const same: unknown = hub.greet.hello.same(1); // generics are lost: unknown
export const steps: number = hub.greet.speed.go(2);
export const welcome: string = hub.greet.greeter.welcome('you', 2);
export const loud: string = hub.greet.shout.loud('hey');
export const title: string = hub.greet.formal.sir.address('Ann', 'Dame');
export const calls: number = hub.greet.init.calls();
export const state: unknown = hub.greet.CALLS;
export const alias: string = hub.hi.hello.say('alias');
for (const mod of hub.greet) console.log(mod.name);
export const untyped: unknown = hub.notGenerated.anything(1); // subs left out stay Dynamic
`,
    );

    expect(r.errors).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('uses them wrongly: each misuse is the expected error on its own line, nothing else', { timeout: 120_000 }, () => {
    const dir = generate(fixture('types-host'), ['greet']);
    const first = HEADER.split('\n').length;

    const r = tsc(dir, `${HEADER}${MISUSES.map(([, line]) => line).join('\n')}\n`);

    expect(r.errors.map((e) => ({ file: e.file, line: e.line, code: e.code }))).toEqual(
      MISUSES.map(([code], i) => ({ file: 'app.ts', line: first + i, code })),
    );
  });

  it('works the same under bundler resolution', { timeout: 120_000 }, () => {
    const dir = generate(fixture('types-host'), ['greet']);

    const r = tsc(dir, `${HEADER}export const a: string = hub.greet.hello.say('x');\nhub.greet.hello.say(1);\n`, { module: 'Preserve', moduleResolution: 'Bundler' });

    expect(r.errors.map((e) => `${e.line} ${e.code}`)).toEqual(['4 TS2345']);
  });

  it("types a dyne merged from the host and its dependencies' folders, each function from the file that won", { timeout: 120_000 }, () => {
    const dir = generate(fixture('dyne-host'), ['widgets']);

    const r = tsc(
      dir,
      `${HEADER}export const v: string = hub.widgets.core.version();
export const deep: string[] = [hub.widgets.nest.deep.fromHost(), hub.widgets.nest.deep.fromExtra(), hub.widgets.nest.deep.fromWidgets()];
export const merged: string[] = [hub.widgets.shared.baseOnly(), hub.widgets.shared.extraOnly(), hub.widgets.shared.hostOnly()];
hub.widgets.core.version('1.0');
`,
    );

    expect(r.errors.map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual(['app.ts:6 TS2554']);
  });

  it('an unknown dyne: exit 1 naming the known ones, and no file', () => {
    const dir = scratchDir();

    const r = tspop(['types', 'nosuchdyne', '--out', join(dir, 'hub.d.ts')], fixture('types-host'));

    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nosuchdyne.*known dynes: .*greet/);
    expect(existsSync(join(dir, 'hub.d.ts'))).toBe(false);
  });
});
