import { statSync } from 'node:fs';
import { isAbsolute, resolve, basename } from 'node:path';
import { SubOptionsError } from './errors.ts';
import type { Sub } from './sub.ts';
import { isSub } from './sub.ts';

/** Options of `hub.pop.sub.add`; pop's snake_case names become camelCase. */
export interface SubAddOptions {
  /** Merge every project's `DYNE[dyneName]` folders into one sub. */
  dyneName?: string;
  /** One or more folders of plugin files (relative to the hub root). */
  staticDir?: string | readonly string[];
  /** Name on the hub (default: dyneName, or the folder's name). */
  subname?: string;
  /** Nest the new sub under this sub instead of the hub. */
  sub?: Sub;
  /** Evaluate `__virtual__` markers (default true). */
  virtual?: boolean;
  /** Exported names starting with this are not exposed (default `_`). */
  omitStart?: string;
  /** Exported names ending with this are not exposed (default: none). */
  omitEnd?: string;
  /** Expose no functions, only run markers (pop's omit_func). */
  omitFunc?: boolean;
  /** Run `__init__` markers (default true). */
  init?: boolean;
  /** Throw at add() when any module fails to load, instead of recording it (default false). */
  stopOnFailures?: boolean;
  /** Extra contract folders applied to this sub, besides each plugin folder's `contracts/`. */
  contractsDir?: string | readonly string[];
  /** Find files now, import them on `await hub.pop.sub.load(sub)` or `await sub.<module>` (default false). */
  lazy?: boolean;
  /** Give up on a plugin whose import (or `__virtual__`/`__init__`) takes longer than this (default 30000). */
  loadTimeoutMs?: number;
}

export interface ResolvedSubOptions {
  readonly dyneName: string | undefined;
  readonly staticDirs: readonly string[];
  readonly subname: string;
  readonly parent: Sub | undefined;
  readonly virtual: boolean;
  readonly omitStart: string;
  readonly omitEnd: string;
  readonly omitFunc: boolean;
  readonly init: boolean;
  readonly stopOnFailures: boolean;
  readonly contractsDirs: readonly string[];
  readonly lazy: boolean;
  readonly loadTimeoutMs: number;
}

const KNOWN = new Set([
  'dyneName', 'staticDir', 'subname', 'sub', 'virtual', 'omitStart', 'omitEnd', 'omitFunc', 'init',
  'stopOnFailures', 'contractsDir', 'lazy', 'loadTimeoutMs',
]);
const SUBNAME = /^[A-Za-z_$][\w$]*$/;

/** Checks `add()` options once, at the boundary; every problem names the option. */
export function resolveSubOptions(input: unknown, root: string): ResolvedSubOptions {
  if (typeof input !== 'object' || input === null) throw new SubOptionsError('hub.pop.sub.add expects an options object');
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new SubOptionsError(`hub.pop.sub.add: unknown option "${key}"`);
  }
  const dyneName = optString(o, 'dyneName');
  const staticDirs = optStrings(o, 'staticDir').map((d) => (isAbsolute(d) ? d : resolve(root, d)));
  // A typo in a path would otherwise give an empty sub and a confusing "no attribute" much later.
  const missing = staticDirs.find((d) => !isFolder(d));
  if (missing) throw new SubOptionsError(`hub.pop.sub.add: staticDir ${missing} is not a folder`);
  if (!dyneName && staticDirs.length === 0) {
    throw new SubOptionsError('hub.pop.sub.add needs dyneName or staticDir');
  }
  const subname = optString(o, 'subname') ?? dyneName ?? basename(staticDirs[0] as string);
  if (!SUBNAME.test(subname)) throw new SubOptionsError(`hub.pop.sub.add: subname "${subname}" is not a valid identifier`);
  if (o.sub !== undefined && !isSub(o.sub)) throw new SubOptionsError('hub.pop.sub.add: option "sub" must be a sub (e.g. hub.mysub)');
  const loadTimeoutMs = o.loadTimeoutMs ?? 30_000;
  if (typeof loadTimeoutMs !== 'number' || !(loadTimeoutMs > 0)) throw new SubOptionsError('hub.pop.sub.add: option "loadTimeoutMs" must be a positive number');
  return {
    dyneName,
    staticDirs,
    subname,
    parent: o.sub as Sub | undefined,
    virtual: optBool(o, 'virtual', true),
    omitStart: optAffix(o, 'omitStart', '_'),
    omitEnd: optAffix(o, 'omitEnd', ''),
    omitFunc: optBool(o, 'omitFunc', false),
    init: optBool(o, 'init', true),
    stopOnFailures: optBool(o, 'stopOnFailures', false),
    contractsDirs: optStrings(o, 'contractsDir').map((d) => (isAbsolute(d) ? d : resolve(root, d))),
    lazy: optBool(o, 'lazy', false),
    loadTimeoutMs,
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function optString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new SubOptionsError(`hub.pop.sub.add: option "${key}" must be a non-empty string`);
  return v;
}

/** A name prefix/suffix; '' switches the filter off. */
function optAffix(o: Record<string, unknown>, key: string, dflt: string): string {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new SubOptionsError(`hub.pop.sub.add: option "${key}" must be a string ('' for none)`);
  return v;
}

function optStrings(o: Record<string, unknown>, key: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x === '')) {
    throw new SubOptionsError(`hub.pop.sub.add: option "${key}" must be a folder path or a list of them`);
  }
  return list as string[];
}

function optBool(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new SubOptionsError(`hub.pop.sub.add: option "${key}" must be true or false`);
  return v;
}
