import { describe, expect, it, vi } from 'vitest';
import { Hub, testing } from '../../../src/index.ts';
import { fixture } from '../../helpers/fixtures.ts';

/** A hub with a contracted module (hub.vcontract.store, a post contract) and a plain one (hub.attrs.tagged). */
async function contractsHub() {
  const hub = await Hub.create({ root: fixture('pop-behaviours') });
  await hub.pop.sub.add({ staticDir: 'vcontract' });
  await hub.pop.sub.add({ staticDir: 'attrs' });
  return hub;
}

describe('testing.mockHub', () => {
  it('mirrors subs, modules and variables, with every plugin function a spy', async () => {
    const hub = await contractsHub();
    const mock = testing.mockHub(hub);

    expect(mock.vcontract.store.get('k')).toBeUndefined();
    mock.attrs.tagged.run.mockReturnValue('stubbed');
    expect(mock.attrs.tagged.run()).toBe('stubbed');
    expect(mock.vcontract.store.get.mock.calls).toEqual([['k']]);
    expect(mock.OPT).toBe(hub.OPT);
  });

  it('takes the test framework’s own spy, and can play one module’s view (hub._, hub.__)', async () => {
    const hub = await contractsHub();
    const mock = testing.mockHub(hub, { spy: vi.fn, module: 'vcontract.store' });

    expect(vi.isMockFunction(mock.vcontract.store.get)).toBe(true);
    expect(mock._).toBe(mock.vcontract.store);
    expect(mock.__).toBe(mock.vcontract);
  });
});

describe('contracts on or off', () => {
  it('noContractHub and testing.call(..., { contracts: false }) run the function without its contracts', async () => {
    const hub = await contractsHub();

    expect(hub.vcontract.store.get('k')).toBe('value of k (checked)');
    expect(testing.noContractHub(hub).vcontract.store.get('k')).toBe('value of k');
    expect(testing.call(hub, 'vcontract.store.get', ['k'], { contracts: false })).toBe('value of k');
    expect(testing.call(hub, 'vcontract.store.get', ['k'])).toBe('value of k (checked)');
  });

  it('contractHub runs the contracts around a spy standing in for the function', async () => {
    const hub = await contractsHub();
    const contracted = testing.contractHub(hub);

    contracted.vcontract.store.get.inner.mockReturnValue('from the spy');
    expect(contracted.vcontract.store.get('k')).toBe('from the spy (checked)');
    expect(contracted.vcontract.store.get.mock.calls).toEqual([['k']]);
  });
});

describe('testing.spy', () => {
  it('records calls and results like vi.fn', () => {
    const s = testing.spy((a: number) => a * 2);

    expect(s(2)).toBe(4);
    s.mockResolvedValue(9);
    expect(s.mock.calls).toEqual([[2]]);
    return expect(s(1)).resolves.toBe(9);
  });
});
