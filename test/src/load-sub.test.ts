import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  Hub, ModInitError, ModLoadError, ModNotLoadedError, ModVirtualClashError, ModVirtualError, SubLoadFailedError,
} from '../../src/index.ts';
import { IMPORTED } from '../fixtures/loading/lazy/_imports.ts';
import { caught, copyFixture, fixture, rejected } from '../helpers/fixtures.ts';

const root = fixture('loading');

describe('eager loading (the default)', () => {
  it('add() imports every plugin file and runs init.ts __init__ first, then the others by name', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'eager' });

    expect(hub.eager.ORDER).toEqual(['init', 'alpha', 'mid', 'zeta']);
    expect(hub.eager.zeta.who()).toBe('zeta');
  });

  it('init: false runs no __init__ at all, not even init.ts', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'eager', init: false });

    expect(hub.eager.ORDER).toBeUndefined();
    expect(hub.eager.alpha.who()).toBe('alpha');
  });
});

describe('lazy loading', () => {
  it('lazy: true imports only the init module (its __init__ runs, as in pop) until hub.pop.sub.load(sub)', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'lazy', lazy: true });

    expect(IMPORTED).toEqual(['init']);
    expect(hub.lazy.INITS).toBe(1);
    expect(hub.lazy.alpha.name).toBe('alpha');
    expect(() => hub.lazy.alpha.hello()).toThrow(ModNotLoadedError);
    expect(caught(() => hub.lazy.alpha.hello).code).toBe('TSPOP_ERR_MOD_NOT_LOADED');

    await hub.pop.sub.load(hub.lazy);

    expect([...IMPORTED].sort()).toEqual(['alpha', 'beta', 'init', 'store_memory']);
    expect(hub.lazy.alpha.hello()).toBe('hello from alpha');
    expect(hub.lazy.INITS).toBe(1);
  });

  it('awaiting one module of a lazy sub loads the whole sub', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'lazy', lazy: true });

    const alpha = await hub.lazy.alpha;

    expect(alpha).toBe(hub.lazy.alpha);
    expect(alpha.hello()).toBe('hello from alpha');
    expect(hub.lazy.beta.hello()).toBe('hello from beta');
  });

  it('loads once when several modules are awaited at the same time', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'lazy', lazy: true });

    const early = hub.lazy.init;
    const [alpha, beta] = await Promise.all([hub.lazy.alpha, hub.lazy.beta, hub.pop.sub.load('lazy')]);

    expect(alpha.hello()).toBe('hello from alpha');
    expect(beta.hello()).toBe('hello from beta');
    expect(await early).toBe(hub.lazy.init);
    expect(hub.lazy.INITS).toBe(1);
  });

  it('awaiting a module that fails to load rejects with its coded error', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'failures', lazy: true });

    await expect(hub.failures.throws_on_import).rejects.toThrow(ModLoadError);
    expect(hub.failures.good.ok()).toBe('still loads');
  });

  it('once loaded, a lazy sub looks like an eager one (modules under their __virtualname__)', async () => {
    const eager = await Hub.create({ root });
    await eager.pop.sub.add({ staticDir: 'lazy' });
    const lazy = await Hub.create({ root });
    await lazy.pop.sub.add({ staticDir: 'lazy', lazy: true });
    await lazy.pop.sub.load(lazy.lazy);

    expect(lazy.lazy.store.kind()).toBe('memory');
    expect('store_memory' in lazy.lazy).toBe('store_memory' in eager.lazy);
    expect(Object.keys(lazy.lazy).sort()).toEqual(Object.keys(eager.lazy).sort());
    expect([...lazy.lazy].map((m: { name: string }) => m.name)).toEqual([...eager.lazy].map((m: { name: string }) => m.name));
    expect(lazy.lazy.INITS).toBe(1);
  });
});

describe('__virtual__', () => {
  it('loads the modules whose __virtual__ says true, sync or async', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'virtual' });

    expect(hub.virtual.ok.ping()).toBe('pong');
    expect(hub.virtual.async_yes.ping()).toBe('async pong');
  });

  it.each([
    ['says_false', '__virtual__ returned false'],
    ['says_string', 'the frobnicator is missing'],
    ['says_tuple', 'needs linux'],
    ['throws', 'cannot probe the device'],
    ['async_no', 'the server did not answer'],
  ])('%s: using the module throws TSPOP_ERR_MOD_VIRTUAL with the reason and the file', async (name, reason) => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'virtual' });

    const err = caught(() => hub.virtual[name].never());

    expect(err).toBeInstanceOf(ModVirtualError);
    expect(err.code).toBe('TSPOP_ERR_MOD_VIRTUAL');
    expect(err.message).toContain(reason);
    expect(err.message).toContain(join(root, 'virtual', `${name}.ts`));
  });

  it('hub.pop.sub.failures(sub) lists every module that said no', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'virtual' });

    const failures = hub.pop.sub.failures(hub.virtual);

    expect(failures.map((f: { module: string }) => f.module).sort()).toEqual(['async_no', 'says_false', 'says_string', 'says_tuple', 'throws']);
    expect(failures.find((f: { module: string }) => f.module === 'says_tuple')).toMatchObject({
      sub: 'virtual',
      path: join(root, 'virtual', 'says_tuple.ts'),
      code: 'TSPOP_ERR_MOD_VIRTUAL',
    });
  });

  it('virtual: false skips __virtual__ and loads every module', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'virtual', virtual: false });

    expect(hub.virtual.says_false.never).toBeTypeOf('function');
    expect(hub.pop.sub.failures(hub.virtual)).toEqual([]);
  });
});

describe('loadTimeoutMs', () => {
  it('fails a plugin whose __virtual__ or __init__ does not finish in time; the others load', async () => {
    const hub = await Hub.create({ root });
    // generous: the stuck ones never finish, and the quick one must not fail on a loaded machine
    await hub.pop.sub.add({ staticDir: 'slow', loadTimeoutMs: 1500 });

    expect(hub.slow.quick.ok()).toBe('ok');
    expect(() => hub.slow.stuck_probe.never()).toThrow(ModVirtualError);
    expect(() => hub.slow.stuck_init.never()).toThrow(ModInitError);
    expect(caught(() => hub.slow.stuck_init).message).toContain('1500 ms');
  });
});

describe('several files with one __virtualname__', () => {
  it('the file whose __virtual__ passes provides the module', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'fallback' });

    expect(hub.fallback.cache.backend()).toBe('memory');
    expect(hub.fallback.cache_memory).toBeUndefined();
    expect(hub.fallback.cache_redis).toBeUndefined();
    expect(hub.pop.sub.failures(hub.fallback)).toEqual([]);
  });

  it('two passing files are a clash: TSPOP_ERR_MOD_VIRTUAL_CLASH names both files', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'clash' });

    const err = caught(() => hub.clash.db.driver());

    expect(err).toBeInstanceOf(ModVirtualClashError);
    expect(err.message).toContain(join(root, 'clash', 'db_pg.ts'));
    expect(err.message).toContain(join(root, 'clash', 'db_sqlite.ts'));
  });
});

describe('load failures', () => {
  /** The committed fixture plus a file with a syntax error (kept out of the repo so tsc and eslint stay clean). */
  function failuresDir(): string {
    const dir = copyFixture('loading', 'failures');
    writeFileSync(join(dir, 'broken.ts'), 'export function oops( {\n');
    return dir;
  }

  it('a file that does not parse or throws on import fails alone: TSPOP_ERR_MOD_LOAD with path and cause', async () => {
    const dir = failuresDir();
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'svc' });

    expect(hub.svc.good.ok()).toBe('still loads');

    const broken = caught(() => hub.svc.broken.oops());
    expect(broken).toBeInstanceOf(ModLoadError);
    expect(broken.message).toContain(join(dir, 'broken.ts'));
    expect(broken.message).not.toContain('\n'); // one line, with the parser's file:line:col folded in
    expect(broken.message).toMatch(/broken\.ts:\d+:\d+/);
    expect(broken.cause).toBeInstanceOf(Error);

    const throwing = caught(() => hub.svc.throws_on_import.never());
    expect(throwing).toBeInstanceOf(ModLoadError);
    expect(throwing.message).toContain(join(dir, 'throws_on_import.ts'));
    expect((throwing.cause as Error).message).toBe('no config file at import time');
  });

  it('a throwing __init__ fails its module with TSPOP_ERR_MOD_INIT', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'failures' });

    const err = caught(() => hub.failures.bad_init.serve());

    expect(err).toBeInstanceOf(ModInitError);
    expect(err.message).toContain(join(root, 'failures', 'bad_init.ts'));
    expect((err.cause as Error).message).toBe('port 80 is taken');
  });

  it('failures(sub) lists each failed module with its code', async () => {
    const dir = failuresDir();
    const hub = await Hub.create({ root: dir });
    await hub.pop.sub.add({ staticDir: dir, subname: 'svc' });

    const codes = Object.fromEntries(hub.pop.sub.failures(hub.svc).map((f: { module: string; code: string }) => [f.module, f.code]));

    expect(codes).toEqual({
      bad_init: 'TSPOP_ERR_MOD_INIT',
      broken: 'TSPOP_ERR_MOD_LOAD',
      throws_on_import: 'TSPOP_ERR_MOD_LOAD',
    });
  });

  it('stopOnFailures: true makes add() throw TSPOP_ERR_SUB_LOAD_FAILED', async () => {
    const hub = await Hub.create({ root });

    const err = await rejected(hub.pop.sub.add({ staticDir: 'failures', stopOnFailures: true }));

    expect(err).toBeInstanceOf(SubLoadFailedError);
    expect(err.message).toContain('throws_on_import');
    expect(err.message).toContain('bad_init');
  });

  it('a failed stopOnFailures add leaves nothing behind, so adding again works', async () => {
    const hub = await Hub.create({ root });

    await rejected(hub.pop.sub.add({ staticDir: 'failures', stopOnFailures: true }));

    expect(hub.failures).toBeUndefined();
    const sub = await hub.pop.sub.add({ staticDir: 'failures' });
    expect(hub.failures).toBe(sub);
  });
});
