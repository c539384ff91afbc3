import type { DependencyContainer } from 'tsyringe';
import { CORE, containerOf, loggerOf, type CoreSlot } from './core-services.ts';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB_SELF, META, OPT_SLOT, SUBS, ADDED, CLOSED } from './meta.ts';
import { createSub } from './load-sub.ts';
import { closeSub } from './real-hub.ts';
import { buildModule } from './build-module.ts';
import { resolveSubOptions } from './sub-options.ts';
import { compareNames } from './plugin-files.ts';
import type { Sub } from './sub.ts';
import type { Hub as HubType, Logger, Opt } from './types.ts';
import { createConsoleLogger } from './logger.ts';
import { NodeModuleLoader } from './module-loader.ts';
import { HubOptionsError, HubReadonlyError } from './errors.ts';
import { EMPTY_CONTRACTS } from './contracts.ts';
import { safeOpt } from './safe-opt.ts';
import { createHubFallback } from './hub-fallback.ts';
import * as popSub from './pop/sub.ts';
import * as popRef from './pop/ref.ts';
import * as popConfig from './pop/config.ts';

export interface HubCreateOptions {
  /** The host project's folder (default `process.cwd()`): its conf.ts and package.json are read from here. */
  root?: string;
  /** Replace the default stderr logger. */
  logger?: Logger;
}


/** Internal state of the real hub; plugins only ever see it through their views. */
export interface HubState {
  readonly root: string;
  readonly container: DependencyContainer;
  readonly [CORE]: CoreSlot;
  [OPT_SLOT]: Opt;
  /** top-level subs by name (aliases included) */
  readonly [SUBS]: Map<string, Sub>;
  /** every sub in the order it was added, for reverse-order shutdown */
  readonly [ADDED]: Sub[];
  [CLOSED]: boolean;
}

export class HubImpl {
  declare readonly [HUB_SELF]: HubImpl & HubState;
  declare readonly root: string;

  /** The hub's tsyringe container, made on first use (see core-services.ts). */
  get container(): DependencyContainer {
    return containerOf(this[HUB_SELF]);
  }

  get OPT(): Opt {
    return this[HUB_SELF][OPT_SLOT];
  }

  set OPT(_value: Opt) {
    throw new HubReadonlyError('hub.OPT is read-only: build it with hub.pop.config.load()');
  }

  get log(): Logger {
    return loggerOf(this[HUB_SELF]);
  }

  get _(): undefined {
    return undefined;
  }

  get __(): undefined {
    return undefined;
  }

  get ___(): undefined {
    return undefined;
  }

  /** Top-level subs in name order (aliases are not repeated). */
  *[Symbol.iterator](): IterableIterator<Sub> {
    const self = this[HUB_SELF];
    const subs = [...new Set(self[SUBS].values())];
    yield* subs.sort((a, b) => compareNames(a[META].name, b[META].name));
  }

  /** Runs every module's `__close__` hook, newest sub first; a failing hook is logged and the rest still run. */
  async close(): Promise<void> {
    const self = this[HUB_SELF];
    if (self[CLOSED]) return;
    self[CLOSED] = true;
    for (const sub of [...self[ADDED]].reverse()) await closeSub(sub, self.log);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  get [Symbol.toStringTag](): string {
    return 'Hub';
  }

  /** String(hub) must not call a sub named `toString`. */
  [Symbol.toPrimitive](): string {
    return '[Hub]';
  }
}

async function create(options: HubCreateOptions = {}): Promise<HubType> {
  if (typeof options !== 'object' || options === null) throw new HubOptionsError('Hub.create expects an options object');
  for (const key of Object.keys(options)) {
    if (key !== 'root' && key !== 'logger') throw new HubOptionsError(`Hub.create: unknown option "${key}"`);
  }
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root === '')) {
    throw new HubOptionsError('Hub.create: option "root" must be a folder path');
  }
  const root = resolve(options.root ?? process.cwd());
  const hub = Object.create(HubImpl.prototype) as HubImpl & HubState;
  const core: CoreSlot = { root, logger: options.logger ?? createConsoleLogger(), loader: new NodeModuleLoader({ root }), container: undefined };
  Object.defineProperties(hub, {
    [HUB_SELF]: { value: hub },
    root: { value: root, enumerable: false },
    [CORE]: { value: core },
    [SUBS]: { value: new Map() },
    [ADDED]: { value: [] },
  });
  hub[OPT_SLOT] = safeOpt({});
  hub[CLOSED] = false;

  addPopSub(hub);
  return hub as unknown as HubType;
}

// hubs inherit the fallback last, so it only sees names nothing else defines (see hub-fallback.ts)
Object.setPrototypeOf(HubImpl.prototype, createHubFallback());

/** `.ts` when tspop runs from its sources, `.js` from the package. */
const OWN_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The `pop` sub is built from modules compiled into tspop, not scanned, so a hub costs no file I/O to create. */
function addPopSub(hub: HubImpl & HubState): void {
  const dir = fileURLToPath(new URL('./pop/', import.meta.url));
  const options = resolveSubOptions({ staticDir: dir, subname: 'pop' }, hub.root);
  const sub = createSub('pop', undefined, [dir], new Map(), options);
  sub[META].contracts = EMPTY_CONTRACTS;
  const ctx = { hub, sub, subRef: 'pop', options, log: hub.log, container: () => hub.container, ancestors: [] };
  for (const [name, ns] of [['config', popConfig], ['ref', popRef], ['sub', popSub]] as const) {
    const mod = buildModule(ctx, name, [{ path: `${dir}${name}${OWN_EXT}`, exports: ns }]);
    sub[META].modules.set(name, mod);
    Object.defineProperty(sub, name, { value: mod, enumerable: true, writable: true, configurable: true });
  }
  hub[SUBS].set('pop', sub);
  hub[ADDED].push(sub);
  Object.defineProperty(hub, 'pop', { value: sub, enumerable: true, writable: false, configurable: true });
}

/** `const hub = await Hub.create({ root })`. */
export const Hub: { create(options?: HubCreateOptions): Promise<HubType> } = { create };
export type Hub = HubType;
