import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DYNE } from '../../conf.ts';
import { binPath } from '../helpers/bins.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

/** A strict TypeScript host's compiler options (no skipLibCheck: tspop's declarations are checked too). */
const STRICT = {
  target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false,
  exactOptionalPropertyTypes: true, noPropertyAccessFromIndexSignature: true, types: ['node'],
};

/**
 * What a user gets from `npm pack`: compiled JavaScript that a plain-Node host imports with no TypeScript
 * installed (dropping `.ts` plugins in a folder still works), bins that run with plain `npx`, and declarations
 * a strict TypeScript host checks against.
 */
describe('the packed tarball', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tspop-pack-'));
    npm(['pack', '--pack-destination', dir], repo);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string;
    const host = join(dir, 'host');
    execFileSync('mkdir', ['-p', host]);
    writeFileSync(join(host, 'package.json'), JSON.stringify({ name: 'host', version: '1.0.0', type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz), '@types/node@20', 'tsx'], host);
    const js = join(dir, 'js-host');
    execFileSync('mkdir', ['-p', join(js, 'greet')]);
    writeFileSync(join(js, 'package.json'), JSON.stringify({ name: 'js-host', version: '1.0.0', type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz)], js);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships compiled JavaScript with declarations and source maps, and points exports, bin and types at them', () => {
    const pkgDir = join(dir, 'js-host/node_modules/tspop');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>>; bin: Record<string, string>; types: string };
    const targets = [pkg.exports['.']?.default, pkg.exports['.']?.types, pkg.types, ...Object.values(pkg.bin)];
    for (const t of targets) expect(existsSync(join(pkgDir, t as string)), t).toBe(true);
    expect(targets.filter((t) => !/\.(js|d\.ts)$/.test(t as string))).toEqual([]);
    expect(existsSync(join(pkgDir, 'dist/src/index.js.map'))).toBe(true);
  });

  it('a plain-Node host with no TypeScript installed imports tspop and calls its own .ts and .js plugins', () => {
    const js = join(dir, 'js-host');
    expect(existsSync(join(js, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(js, 'node_modules/tsx'))).toBe(false);
    writeFileSync(join(js, 'conf.js'), `export const CONFIG = {};\nexport const CLI_CONFIG = {};\nexport const SUBCOMMANDS = {};\nexport const DYNE = { greet: ['greet'] };\n`);
    writeFileSync(join(js, 'greet/hello.ts'), `import { helper } from './_helper.ts';\nexport function say(_hub: unknown, name: string): string {\n  return helper(name);\n}\n`);
    writeFileSync(join(js, 'greet/_helper.ts'), `export const helper = (name: string): string => \`hello \${name}\`;\n`);
    writeFileSync(join(js, 'greet/bye.js'), `export function say(hub, name) {\n  return \`bye \${name} (\${hub.greet.hello.say(name)})\`;\n}\n`);
    // a decorated class plugin: oxc's output imports its decorator helpers, which must come from tspop's own dependencies
    writeFileSync(join(js, 'greet/klass.ts'), `import { inject, injectable, HUB } from 'tspop';\n@injectable()\nexport default class Klass {\n  constructor(@inject(HUB) private readonly hub: { _: { name: string } }) {}\n  who(): string {\n    return this.hub._.name;\n  }\n}\n`);
    writeFileSync(
      join(js, 'app.mjs'),
      `import { Hub } from 'tspop';\nconst hub = await Hub.create();\nawait hub.pop.sub.add({ dyneName: 'greet' });\nconsole.log(hub.greet.bye.say('js'), hub.greet.klass.who());\nawait hub.close();\n`,
    );
    const r = spawnSync(process.execPath, ['app.mjs'], { cwd: js, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('bye js (hello js) klass');
  });

  it('npx tspop, acct and evbus-test --help work in the plain-Node host', () => {
    for (const bin of ['tspop', 'acct', 'evbus-test']) {
      const help = spawnSync('npx', [bin, '--help'], { cwd: join(dir, 'js-host'), encoding: 'utf8' });
      expect({ bin, status: help.status, stderr: help.stderr }).toEqual({ bin, status: 0, stderr: '' });
      expect(help.stdout).toContain(`Usage: ${bin}`);
    }
  });

  it("the repository's bins run --help in a host that has the tarball installed (a second copy of tspop)", () => {
    for (const bin of ['tspop', 'acct', 'evbus-test']) {
      const r = spawnSync(process.execPath, [binPath(bin), '--help'], { cwd: join(dir, 'js-host'), encoding: 'utf8' });
      expect({ bin, status: r.status, stderr: r.stderr }).toEqual({ bin, status: 0, stderr: '' });
    }
  });

  it('npx tspop --help works', () => {
    const r = spawnSync('npx', ['tspop', '--help'], { cwd: join(dir, 'host'), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: tspop/);
  });

  it('every bin in package.json runs --help', () => {
    const pkg = JSON.parse(execFileSync('cat', [join(dir, 'host/node_modules/tspop/package.json')], { encoding: 'utf8' })) as { bin: Record<string, string> };
    for (const bin of Object.keys(pkg.bin)) {
      const r = spawnSync('npx', [bin, '--help'], { cwd: join(dir, 'host'), encoding: 'utf8' });
      expect({ bin, status: r.status, stderr: r.stderr }).toMatchObject({ bin, status: 0 });
    }
  });

  it("a strict TypeScript host type-checks against tspop's emitted declarations, not its sources", () => {
    const host = join(dir, 'host');
    writeFileSync(
      join(host, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: STRICT, include: ['typed.ts'] }),
    );
    writeFileSync(
      join(host, 'typed.ts'),
      `import { Hub, HUB, inject, injectable, runCli, type ContractCtx, type IngressEvent } from 'tspop';
declare module 'tspop' {
  interface HubSubs { greet: { hello: { say(name: string): string } } }
}
export async function main(): Promise<string> {
  const hub = await Hub.create();
  void [HUB, inject, injectable, runCli];
  return hub.greet.hello.say('typed');
}
export function pre(_hub: Hub, ctx: ContractCtx): void { void ctx.args; }
export function publish(_hub: Hub, _ctx: unknown, event: IngressEvent): string { return event.profile; }
`,
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', host], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("npx tspop types in the installed host types tspop's own dynes from the shipped declarations", { timeout: 120_000 }, () => {
    const host = join(dir, 'host');
    const gen = spawnSync('npx', ['tspop', 'types', 'acct', 'evbus'], { cwd: host, encoding: 'utf8' });
    expect({ status: gen.status, stderr: gen.stderr }).toEqual({ status: 0, stderr: '' });
    expect(gen.stdout).toMatch(/^wrote tspop-hub\.d\.ts \(hub\.acct, hub\.evbus: /);
    const generated = readFileSync(join(host, 'tspop-hub.d.ts'), 'utf8');
    // every type comes from the package's compiled declarations, none from the .ts sources it also ships
    const targets = [...new Set([...generated.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1] as string))];
    expect(targets.length).toBeGreaterThan(5);
    for (const t of targets) {
      expect(t).toMatch(/^\.\/node_modules\/tspop\/dist\/.+\.js$/);
      expect(existsSync(join(host, t.replace(/\.js$/, '.d.ts'))), t).toBe(true);
    }

    const check = (source: string) => {
      writeFileSync(join(host, 'hub-use.ts'), source);
      writeFileSync(join(host, 'tsconfig.hub.json'), JSON.stringify({ compilerOptions: STRICT, files: ['tspop-hub.d.ts', 'hub-use.ts'] }));
      const r = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.hub.json'], { cwd: host, encoding: 'utf8' });
      return { status: r.status, errors: [...r.stdout.matchAll(/^hub-use\.ts\((\d+),\d+\): error (TS\d+)/gm)].map((m) => `${m[1]} ${m[2]}`), output: r.stdout + r.stderr };
    };
    const header = "import { Hub } from 'tspop';\nconst hub = await Hub.create();\nawait hub.pop.sub.add({ dyneName: 'acct' });\n";
    const ok = check(`${header}const key: string = hub.acct.crypto.fernet.generateKey();
const data: Record<string, unknown> = await hub.acct.init.decryptFile('creds.yml.fernet', key, { cryptoPlugin: 'fernet' });
const token: string = hub.acct.crypto.fernet.encrypt(JSON.stringify(data), key);
await hub.evbus.init.start();
await hub.evbus.init.stop({ timeoutMs: 100 });
export { token };
`);
    expect(ok).toEqual({ status: 0, errors: [], output: '' });

    const wrong = check(`${header}hub.acct.crypto.fernet.generateKey('extra');
await hub.acct.init.decryptFile(5, 'key');
const n: number = hub.acct.crypto.fernet.generateKey();
hub.evbus.init.nope();
export { n };
`);
    expect(wrong.errors).toEqual(['4 TS2554', '5 TS2345', '6 TS2322', '7 TS2339']);

    // with no dyne named: every dyne tspop's conf ships, and the whole file type-checks under the strict host
    const all = spawnSync('npx', ['tspop', 'types', '--out', 'all-dynes.d.ts'], { cwd: host, encoding: 'utf8' });
    expect({ status: all.status, stderr: all.stderr }).toEqual({ status: 0, stderr: '' });
    expect(all.stdout).toContain(`(${Object.keys(DYNE).sort().map((d) => `hub.${d}`).join(', ')}: `);
    writeFileSync(join(host, 'hub-use.ts'), `${header}const t: Promise<void> = hub.evbus.init.join();
export { t };
`);
    writeFileSync(join(host, 'tsconfig.hub.json'), JSON.stringify({ compilerOptions: STRICT, files: ['all-dynes.d.ts', 'hub-use.ts'] }));
    const r = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.hub.json'], { cwd: host, encoding: 'utf8' });
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: '' });
  });

  it('a TypeScript host imports tspop and gets its dynes merged', () => {
    const host = join(dir, 'host');
    writeFileSync(
      join(host, 'main.ts'),
      `import { Hub } from 'tspop';
const hub = await Hub.create();
await hub.pop.sub.add({ dyneName: 'acct' });
await hub.pop.sub.loadSubdirs(hub.acct, { recurse: true });
const key: string = hub.acct.crypto.fernet.generateKey();
console.log(hub.acct.crypto.fernet.decrypt(hub.acct.crypto.fernet.encrypt('round trip', key), key).toString());
await hub.close();
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: host, encoding: 'utf8' });
    expect(out.trim()).toBe('round trip');
  });

  // vitest externalises node_modules: the installed tspop's own import() is plain Node's, so .ts goes through its transform
  it('a TypeScript host tested with vitest loads a .ts plugin of a dyne its conf.ts declares', { timeout: 120_000 }, () => {
    const vt = join(dir, 'host', 'vitest-host');
    mkdirSync(join(vt, 'plugins/mine'), { recursive: true });
    writeFileSync(join(vt, 'package.json'), JSON.stringify({ name: 'vitest-host', version: '1.0.0', type: 'module' }));
    writeFileSync(join(vt, 'conf.ts'), `export const DYNE: Record<string, string[]> = { mine: ['plugins/mine'] };\n`);
    writeFileSync(join(vt, 'plugins/mine/greet.ts'), `export function say(_hub: unknown, name: string): string {\n  return \`HELLO, \${name.toUpperCase()}!\`;\n}\n`);
    // --globals: the host has no vitest of its own to import from, the repository's runs it
    writeFileSync(
      join(vt, 'hub.test.ts'),
      `import { Hub } from 'tspop';
test('a .ts plugin from conf.ts', async () => {
  const hub = await Hub.create();
  await hub.pop.sub.add({ dyneName: 'mine' });
  expect(hub.mine.greet.say('v')).toBe('HELLO, V!');
  expect(hub.pop.sub.failures(hub.mine)).toEqual([]);
  await hub.close();
});
`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    for (const key of ['TSPOP_TS_LOADER', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS']) delete env[key];
    const r = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--globals', 'hub.test.ts'], { cwd: vt, encoding: 'utf8', env });
    expect({ status: r.status, output: r.stdout + r.stderr }).toMatchObject({ status: 0, output: expect.stringMatching(/1 passed/) });
  });
});
