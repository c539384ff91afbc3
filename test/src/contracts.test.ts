import { describe, it, expect } from 'vitest';
import { ContractCallError, Hub } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

const root = fixture('contracts');

async function hubWith(staticDir: string, options: Record<string, unknown> = {}) {
  const hub = await Hub.create({ root });
  await hub.pop.sub.add({ staticDir, ...options });
  return hub;
}

describe('pre contracts', () => {
  it('run before the function and may edit its arguments; pre_<fn> before the generic pre', async () => {
    const hub = await hubWith('pre');

    expect(hub.pre.math.add(1, 2)).toBe(12);
    expect(hub.pre.math.TRACE).toEqual(['pre_add', 'pre pre.math.add']);
  });

  it('block a call by throwing', async () => {
    const hub = await hubWith('pre');

    expect(() => hub.pre.math.divide(1, 0)).toThrow(RangeError);
    expect(hub.pre.math.divide(6, 3)).toBe(2);
  });

  it('keep a sync function sync and an async one async when every contract is sync', async () => {
    const hub = await hubWith('pre');

    const sync = hub.pre.math.add(1, 2);
    const later = hub.pre.math.addLater(1, 2);

    expect(sync).toBe(12);
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toBe(3);
  });

  it('a pre that replaces ctx.args with a non-list: TSPOP_ERR_CONTRACT_CALL', async () => {
    const hub = await hubWith('ctx');

    expect(() => hub.ctx.http.broken()).toThrow(ContractCallError);
  });
});

describe('call contracts', () => {
  it('replace the call; the first one found wins (the module’s own contract before init)', async () => {
    const hub = await hubWith('call');

    expect(hub.call.greet.hello('ann')).toBe('hello ann!');
  });

  it('fall back to the sub-wide init contract’s call', async () => {
    const hub = await hubWith('call');

    expect(hub.call.greet.bye('ann')).toBe('bye ANN (init call)');
  });
});

describe('post contracts', () => {
  it('replace the result when they return something, and run in reverse order (onion)', async () => {
    const hub = await hubWith('post');

    expect(hub.post.nums.one()).toBe(20);
    expect(hub.post.nums.TRACE).toEqual(['init.post saw 1', 'nums.post saw 1', 'nums.post_one saw 2']);
  });
});

describe('the ctx object', () => {
  it('ctx.cache is shared by the contracts of one call and fresh for every call', async () => {
    const hub = await hubWith('ctx');

    hub.ctx.http.fetch('a');
    hub.ctx.http.fetch('b');

    const [first, second] = hub.ctx.http.CACHES;
    expect(first).toEqual({ keysAtStart: [], startedBy: 'pre' });
    expect(second).toEqual({ keysAtStart: [], startedBy: 'pre' });
    expect(first).not.toBe(second);
  });

  it('ctx.kwargs is the trailing options object, editable in place', async () => {
    const hub = await hubWith('ctx');

    expect(hub.ctx.http.fetch('https://x', { retries: 2 })).toEqual(['https://x', { retries: 2, timeout: 30 }]);
    expect(hub.ctx.http.fetch('https://x')).toEqual(['https://x', undefined]);
  });
});

describe('async contracts', () => {
  it('wrap sync and async functions alike; the call becomes async', async () => {
    const hub = await hubWith('async');

    const sync = hub.async.work.twice(2);

    expect(sync).toBeInstanceOf(Promise);
    await expect(sync).resolves.toBe(106);
    await expect(hub.async.work.twiceLater(2)).resolves.toBe(106);
  });
});

describe('which contracts apply', () => {
  it('__contracts__ opts a module in to contracts by name', async () => {
    const hub = await hubWith('declared');

    expect(hub.declared.audited.ping()).toBe('pong (audited)');
    expect(hub.declared.plain.ping()).toBe('pong');
  });

  it('contracts/init.ts applies to every module of the sub', async () => {
    const hub = await hubWith('post');

    hub.post.nums.one();

    expect(hub.post.nums.TRACE[0]).toBe('init.post saw 1');
  });

  it('recursive_contracts/ reach nested subs; contracts/ stop at their own sub', async () => {
    const hub = await hubWith('recursive/plugins', { subname: 'app' });
    await hub.pop.sub.loadSubdirs(hub.app, { recurse: true });

    expect(hub.app.top.where()).toBe('top (checked) [top only]');
    expect(hub.app.child.leaf.where()).toBe('leaf (checked)');
    expect(hub.app.child.grand.deep.where()).toBe('deep (checked)');
  });

  it('contractsDir adds a folder of contracts from elsewhere', async () => {
    const hub = await hubWith('explicit/plugins', { subname: 'svc', contractsDir: 'explicit/extra' });

    expect(hub.svc.svc.status()).toBe('up (from contractsDir)');
  });

  it('a module without contracts is called directly', async () => {
    const hub = await hubWith('declared');
    const { ping } = hub.declared.plain;

    expect(ping.name).toBe('ping');
    expect(ping()).toBe('pong');
  });
});
