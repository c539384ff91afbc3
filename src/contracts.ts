import type { ContractCtx } from './types.ts';
import { ContractCallError } from './errors.ts';

type Fn = (...args: never[]) => unknown;
type ContractFn = (hub: object, ctx: ContractCtx) => unknown;

/** One loaded contract file. */
export interface ContractModule {
  readonly name: string;
  readonly path: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Contract files a sub knows: its own (contracts/) and the recursive ones (rcontracts/) that also reach nested subs. */
export interface ContractSource {
  readonly own: ReadonlyMap<string, readonly ContractModule[]>;
  readonly recursive: ReadonlyMap<string, readonly ContractModule[]>;
}

export const EMPTY_CONTRACTS: ContractSource = { own: new Map(), recursive: new Map() };

export interface ContractChain {
  readonly pre: readonly ContractFn[];
  readonly call: ContractFn | undefined;
  readonly post: readonly ContractFn[];
}

/**
 * The contract files that apply to module `modName`, in pop's order: the contract named like the module, the
 * sub's `init` contract, each name in `__contracts__`; then the same three from `recursive_contracts/` folders,
 * nearest sub first, up to the top-level sub.
 */
export function contractsFor(
  modName: string,
  declared: readonly string[],
  own: ContractSource,
  ancestors: readonly ContractSource[],
): ContractModule[] {
  const out: ContractModule[] = [];
  const names = [modName, 'init', ...declared];
  const add = (map: ReadonlyMap<string, readonly ContractModule[]>) => {
    for (const name of names) for (const m of map.get(name) ?? []) if (!out.includes(m)) out.push(m);
  };
  add(own.own);
  for (const src of [own, ...[...ancestors].reverse()]) add(src.recursive);
  return out;
}

/**
 * pre/call/post functions for one plugin function. In each contract file the specific `pre_<fn>` comes before the
 * generic `pre`. Only the first `call` found runs (it replaces the function). Posts run in reverse (onion) order,
 * so the first contract's post sees the result last.
 */
export function chainFor(fnName: string, modules: readonly ContractModule[]): ContractChain | undefined {
  const pre: ContractFn[] = [];
  const post: ContractFn[] = [];
  let call: ContractFn | undefined;
  for (const m of modules) {
    const e = m.exports;
    pushFn(pre, e[`pre_${fnName}`]);
    pushFn(pre, e.pre);
    if (!call && typeof e[`call_${fnName}`] === 'function') call = e[`call_${fnName}`] as ContractFn;
    if (!call && typeof e.call === 'function') call = e.call as ContractFn;
    pushFn(post, e[`post_${fnName}`]);
    pushFn(post, e.post);
  }
  post.reverse();
  if (pre.length === 0 && post.length === 0 && !call) return undefined;
  return { pre, call, post };
}

function pushFn(list: ContractFn[], v: unknown): void {
  if (typeof v === 'function') list.push(v as ContractFn);
}

class Ctx implements ContractCtx {
  ret: unknown = undefined;
  readonly cache: Record<string, unknown> = {};
  constructor(
    readonly func: (...args: never[]) => unknown,
    readonly ref: string,
    public args: unknown[],
  ) {}

  get kwargs(): Record<string, unknown> | undefined {
    const last = this.args[this.args.length - 1];
    return isPlainObject(last) ? last : undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * The function the hub exposes. Without contracts it is `raw` bound to the module's view (V8 calls bound
 * functions nearly as fast as direct ones). With contracts it runs pre -> call -> post and stays synchronous
 * unless some step returns a promise: sync stays sync, async stays async.
 */
export function exposeFunction(raw: Fn, view: object, name: string, ref: string, chain: ContractChain | undefined): Fn {
  const bound = (raw as (this: unknown, ...a: unknown[]) => unknown).bind(undefined, view) as Fn;
  if (!chain) return named(bound, name);
  const { pre, call, post } = chain;

  const runPosts = (ctx: Ctx, from: number): unknown => {
    for (let i = from; i < post.length; i++) {
      const r = (post[i] as ContractFn)(view, ctx);
      if (isThenable(r)) {
        return Promise.resolve(r).then((v) => {
          if (v !== undefined) ctx.ret = v;
          return runPosts(ctx, i + 1);
        });
      }
      if (r !== undefined) ctx.ret = r;
    }
    return ctx.ret;
  };

  const runCall = (ctx: Ctx): unknown => {
    const ret = call ? call(view, ctx) : (bound as (...a: unknown[]) => unknown)(...ctx.args);
    if (isThenable(ret)) {
      return Promise.resolve(ret).then((v) => {
        ctx.ret = v;
        return runPosts(ctx, 0);
      });
    }
    ctx.ret = ret;
    return runPosts(ctx, 0);
  };

  const runPres = (ctx: Ctx, from: number): unknown => {
    for (let i = from; i < pre.length; i++) {
      const r = (pre[i] as ContractFn)(view, ctx);
      if (isThenable(r)) return Promise.resolve(r).then(() => runPres(ctx, i + 1));
    }
    if (!Array.isArray(ctx.args)) throw new ContractCallError(`a pre contract of ${ref} set ctx.args to something other than an array`);
    return runCall(ctx);
  };

  const contracted = (...args: unknown[]) => runPres(new Ctx(bound, ref, args), 0);
  return named(contracted as Fn, name);
}

function named(fn: Fn, name: string): Fn {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}
