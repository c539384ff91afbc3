/**
 * What the compiled CLIs load to start: the CommonJS packages a run leaves in require.cache. Start time itself
 * is measured by `npm run bench cli` (ratios against `node -e 0`); this pins the structure that time rests on,
 * so a static import of a heavy package on a CLI's common path shows up as a failing test, not a slow bench.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath } from '../helpers/bins.ts';
import { scratchDir } from '../helpers/fixtures.ts';

const dir = scratchDir();
const PRELOAD = join(dir, 'list-packages.cjs');
writeFileSync(
  PRELOAD,
  `process.on('exit', () => {
  const names = Object.keys(require.cache).map((f) => (/node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f) || [])[1]).filter(Boolean);
  process.stderr.write('PACKAGES ' + JSON.stringify([...new Set(names)].sort()) + '\\n');
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  process.stderr.write('BUILTINS ' + JSON.stringify(builtins) + '\\n');
});
`,
);
writeFileSync(join(dir, 'package.json'), '{"name":"start-host","private":true,"type":"module"}');
writeFileSync(join(dir, 'creds.yml'), 'amqp:\n  default:\n    host: localhost\n    port: 5672\n    password: s3cret pass\n');

function start(bin: string, args: string[], env: Record<string, string> = {}): { stdout: string; packages: string[]; builtins: string[] } {
  const r = spawnSync(process.execPath, ['--require', PRELOAD, binPath(bin), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  const line = (name: string) => JSON.parse(new RegExp(`^${name} (.*)$`, 'm').exec(r.stderr)?.[1] ?? '[]') as string[];
  expect({ status: r.status, stderr: r.stderr.replace(/^(PACKAGES|BUILTINS) .*\n/gm, '') }).toEqual({ status: 0, stderr: '' });
  return { stdout: r.stdout, packages: line('PACKAGES'), builtins: line('BUILTINS') };
}

// yaml: 72 files (~30 ms), tsyringe: 33 (~12 ms), msgpackr-extract: a native addon found through two more packages;
// commander (a devDependency now, the argv parser's test oracle) was ~10 ms with the child_process it brings
const HEAVY = ['yaml', 'tsyringe', 'msgpackr-extract', 'node-gyp-build-optional-packages', 'detect-libc', '@msgpack/msgpack', 'commander'];
// Node's own modules that a start needs none of: child_process (acct edit's editor), worker_threads (big YAML)
const HEAVY_BUILTINS = ['child_process', 'worker_threads'];

describe('what the CLIs load to start', () => {
  it('acct decrypt of a small file: none of the heavy packages, and the same YAML as before', () => {
    const key = execFileSync(process.execPath, [binPath('acct'), 'encrypt', 'creds.yml'], { cwd: dir, encoding: 'utf8' }).trim();

    const r = start('acct', ['decrypt', 'creds.yml.fernet'], { ACCT_KEY: key });

    expect(r.stdout).toBe('amqp:\n  default:\n    host: localhost\n    port: 5672\n    password: s3cret pass\n');
    expect(r.packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    expect(r.builtins.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
    expect(r.packages).toContain('msgpackr');
  });

  it.each([
    ['tspop', ['--help']],
    ['acct', ['--help']],
    ['evbus-test', ['--help']],
  ])('%s %s: none of the heavy packages', (bin, args) => {
    const r = start(bin, args);

    expect(r.stdout).toContain(`Usage: ${bin}`);
    expect(r.packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    expect(r.builtins.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
  });

  it('a hub that uses its container still gets tsyringe, with the core services registered', () => {
    const script = `import { Hub, LOGGER, MODULE_LOADER } from ${JSON.stringify(new URL('../../dist/src/index.js', import.meta.url).href)};
const hub = await Hub.create();
const ok = hub.container.resolve(LOGGER) === hub.log && typeof hub.container.resolve(MODULE_LOADER).load === 'function';
console.log(ok);
`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
  });
});
