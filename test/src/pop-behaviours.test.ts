/**
 * pop behaviours found missing by running a port of pop's own test suite: each test names the pop idiom it keeps.
 */
import { describe, expect, it } from 'vitest';
import { Hub, ContractSignatureError } from '../../src/index.ts';
import type { LoadFailure, ModuleLoader } from '../../src/index.ts';
import { MODULE_LOADER } from '../../src/tokens.ts';
import { fixture, caught } from '../helpers/fixtures.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = fixture('pop-behaviours');

describe('function attributes', () => {
  it('an attribute set on a plugin function reads through the hub function, and follows later changes', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'attrs' });

    expect(hub.attrs.tagged.run()).toBe('ran');
    expect(hub.attrs.tagged.run.marker).toBe('set on the function');
    hub.attrs.tagged.run.marker = 'changed';
    expect(hub.attrs.tagged.run.marker).toBe('changed');
  });
});

describe('signature contracts (sig_)', () => {
  it('an implementation taking the declared parameters (plus ones with defaults, or ...rest in the contract) loads', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'sig_ok' });

    expect(hub.sig_ok.impl.run('a', 1, true)).toBe(true);
    expect(hub.sig_ok.impl.any(1, 2)).toBe(3);
  });

  it('a mismatch fails that module at load with TSPOP_ERR_CONTRACT_SIGNATURE naming both files; the others load', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'sig_bad' });

    const err = caught(() => hub.sig_bad.impl);
    expect(err).toBeInstanceOf(ContractSignatureError);
    expect(err.message).toContain('sig_bad/impl.ts');
    expect(err.message).toContain('sig_bad/contracts/impl.ts');
    expect(err.message).toContain('count');
    expect(hub.sig_bad.other.fine()).toBe('fine');
  });
});

describe('contracts matched by __virtualname__', () => {
  it('a contract file whose __virtualname__ is the module name applies, whatever the file is called', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'vcontract' });

    expect(hub.vcontract.store.get('k')).toBe('value of k (checked)');
  });
});

describe('add({ virtual: false })', () => {
  it('names modules by file and runs neither __virtual__ nor __virtualname__', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'virtual_off', virtual: false });

    expect(hub.virtual_off.probe.hello()).toBe('hello from probe.ts');
    expect(hub.virtual_off.renamed).toBeUndefined();
  });
});

describe('odd folder and module names', () => {
  it('folders named constructor and toString are subs like any other, and do not stop their siblings', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'odd_names' });
    await hub.pop.sub.loadSubdirs(hub.odd_names);

    expect(Object.getOwnPropertyDescriptor(hub.odd_names, 'constructor')?.value.here.where()).toBe('constructor/');
    expect(Object.getOwnPropertyDescriptor(hub.odd_names, 'toString')?.value.here.where()).toBe('toString/');
    expect(hub.odd_names.plain.toString.toString()).toBe('a plugin function named toString');
  });

  it('String() of a sub or module with a toString member still gives its name', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'odd_names' });
    await hub.pop.sub.loadSubdirs(hub.odd_names);

    expect(String(hub.odd_names)).toBe('[Sub odd_names]');
    expect(String(hub.odd_names.plain)).toBe('[Sub odd_names.plain]');
    expect(String(hub.odd_names.plain.toString)).toBe('[Module toString]');
    expect(`${hub}`).toBe('[Hub]');
  });
});

describe('config os: true', () => {
  it('reads the environment variable named after the option key', async () => {
    const hub = await Hub.create({ root: join(root, 'osconf') });

    await hub.pop.config.load(['osconf'], { env: { LOG_DIR: '/tmp/logs', MY_NAMED: 'y' }, argv: [] });

    expect(hub.OPT.osconf.log_dir).toBe('/tmp/logs');
    expect(hub.OPT.osconf.named).toBe('y');
  });
});

describe('loadTimeoutMs is per file', () => {
  it('a folder whose files together take longer than the timeout loads every file that is quick on its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tspop-many-'));
    for (let i = 0; i < 500; i++) writeFileSync(join(dir, `p${i}.js`), `export const n = () => ${i};\n`);
    const hub = await Hub.create({ root: dir });
    // one file at a time, 5 ms each: 2.5 s or more for the folder, while a file waits for at most the few loads
    // ahead of it (about 0.2 s), far under the 1.5 s timeout
    const real = hub.container.resolve<ModuleLoader>(MODULE_LOADER);
    let chain: Promise<unknown> = Promise.resolve();
    const serial: ModuleLoader = {
      load(path, opts) {
        const run = chain.then(() => new Promise((r) => setTimeout(r, 5))).then(() => real.load(path, opts));
        chain = run.catch(() => undefined);
        return run;
      },
    };
    hub.container.register(MODULE_LOADER, { useValue: serial });

    await hub.pop.sub.add({ staticDir: dir, subname: 'many', loadTimeoutMs: 1500 });

    expect(hub.pop.sub.failures(hub.many)).toEqual([]);
    expect(hub.many.p499.n()).toBe(499);
  });

  it('a file whose import never finishes fails after loadTimeoutMs without progress; the others load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tspop-stuck-import-'));
    writeFileSync(join(dir, 'quick.js'), 'export const ok = () => 1;\n');
    writeFileSync(join(dir, 'stuck.js'), 'await new Promise(() => {});\nexport const never = () => 0;\n');
    const hub = await Hub.create({ root: dir });

    await hub.pop.sub.add({ staticDir: dir, subname: 'stuck', loadTimeoutMs: 1500 });

    expect(hub.stuck.quick.ok()).toBe(1);
    expect(hub.pop.sub.failures(hub.stuck).map((f: LoadFailure) => [f.module, f.code])).toEqual([['stuck', 'TSPOP_ERR_MOD_LOAD']]);
    expect(hub.pop.sub.failures(hub.stuck)[0]?.message).toContain('did not finish within 1500 ms');
  });
});
