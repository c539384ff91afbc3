/**
 * pop.testing for tspop: unit-test plugins without brokers.
 *
 *   import { testing } from 'tspop';            // or: import * as testing from 'tspop/testing'
 *   const mock = testing.mockHub(hub);          // same subs, modules and variables; every function a spy
 *   await myPlugin.publish(mock, ctx, event);   // call your plugin's own function with the mock hub
 *   expect(mock.evbus.broker.put.mock.calls).toEqual([[...]]);
 *
 *   testing.noContractHub(hub).greet.hello.say('x')     // the real functions, contracts off
 *   testing.contractHub(hub).greet.hello.say('x')       // the contracts, around a spy instead of the function
 */
import { META } from '../meta.ts';
import { isSub, type Sub } from '../sub.ts';
import type { Module, FunctionRecord } from '../module.ts';
import type { Hub } from '../types.ts';
import { spy as defaultSpy, type Spy } from './spy.ts';

export { spy, type Spy } from './spy.ts';

type Fn = (...args: never[]) => unknown;

export interface MockHubOptions {
  /** Makes each double (default: tspop's own spy). Pass `vi.fn` or `jest.fn` to get your framework's. */
  readonly spy?: (impl?: Fn) => Fn;
  /** `sub.module` whose view the mock plays: `hub._` is its mock module, `hub.__` its sub, `hub.___` the parent. */
  readonly module?: string;
}

/** The hub's shape (subs, nested subs, modules, module variables, OPT), every plugin function a spy returning undefined. */
export function mockHub(hub: Hub, opts: MockHubOptions = {}): Hub {
  const make = opts.spy ?? ((impl?: Fn) => defaultSpy(impl as never) as unknown as Fn);
  return mirror(hub, () => make(), opts.module);
}

/** The real plugin functions with the hub injected as usual, but no contracts around them. */
export function noContractHub(hub: Hub, opts: Pick<MockHubOptions, 'module'> = {}): Hub {
  return mirror(hub, (rec) => rec.wrap(rec.kind === 'function' ? rec.raw : dropHub(rec.raw), false), opts.module);
}

/** Every function's contracts as the hub runs them, around a spy standing in for the function itself. */
export function contractHub(hub: Hub, opts: Omit<MockHubOptions, 'module'> = {}): Hub {
  const make = opts.spy ?? ((impl?: Fn) => defaultSpy(impl as never) as unknown as Fn);
  return mirror(hub, (rec) => {
    const inner = make();
    const wrapped = rec.wrap((_hub: unknown, ...args: unknown[]) => (inner as (...a: unknown[]) => unknown)(...args), true);
    return Object.assign(wrapped, { mock: (inner as unknown as Spy).mock, inner });
  });
}

/** Calls the function at `ref` (`sub.module.fn`) with contracts on (as the hub does) or off. */
export function call(hub: Hub, ref: string, args: readonly unknown[], opts: { contracts?: boolean } = {}): unknown {
  const parts = ref.split('.');
  const fnName = parts.pop() as string;
  let node: unknown = hub;
  for (const p of parts) node = (node as Record<string, unknown>)?.[p];
  const rec = (node as Module | undefined)?.[META]?.functions.get(fnName);
  if (!rec) throw new TypeError(`testing.call: no plugin function at hub.${ref}`);
  const fn = rec.wrap(rec.kind === 'function' ? rec.raw : dropHub(rec.raw), opts.contracts !== false);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

function mirror(hub: Hub, double: (rec: FunctionRecord) => Fn, viewOf?: string): Hub {
  const out: Record<string, unknown> = { OPT: hub.OPT, log: hub.log, pop: hub.pop };
  const copies = new Map<object, Record<string, unknown>>();
  for (const sub of hub as unknown as Iterable<Sub>) out[sub[META].name] = mirrorSub(sub, double, copies);
  for (const sub of hub as unknown as Iterable<Sub>) for (const alias of sub[META].aliases) out[alias] = copies.get(sub);
  if (viewOf) setView(out, viewOf);
  return out as unknown as Hub;
}

function mirrorSub(sub: Sub, double: (rec: FunctionRecord) => Fn, copies: Map<object, Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  copies.set(sub, copy);
  for (const [name, mod] of sub[META].modules) copy[name] = mirrorModule(mod, double);
  for (const [name, child] of sub[META].subs) if (isSub(child)) copy[name] = copies.get(child) ?? mirrorSub(child, double, copies);
  for (const [key, value] of Object.entries(sub)) if (!(key in copy) && !isSub(value)) copy[key] = value; // sub state (hub.acct.PROFILES)
  return copy;
}

function mirrorModule(mod: Module, double: (rec: FunctionRecord) => Fn): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, rec] of mod[META].functions) copy[name] = double(rec);
  for (const name of mod[META].vars.keys()) copy[name] = (mod as unknown as Record<string, unknown>)[name];
  return copy;
}

function setView(out: Record<string, unknown>, ref: string): void {
  const parts = ref.split('.');
  const chain: unknown[] = [out];
  for (const p of parts) chain.push((chain[chain.length - 1] as Record<string, unknown> | undefined)?.[p]);
  if (chain[chain.length - 1] === undefined) throw new TypeError(`testing: no module at hub.${ref}`);
  const levels = chain.slice(1).reverse(); // module, sub, parent sub, ...
  Object.assign(out, { _: levels[0], __: levels[1], ___: levels[2] ?? out });
}

function dropHub(fn: Fn): Fn {
  return ((_hub: unknown, ...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args)) as Fn;
}
