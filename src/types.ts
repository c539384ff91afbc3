/**
 * Public types of the hub. The hub is dynamic by nature (subs appear when plugin folders are added), so
 * dynamic members are typed `Dynamic`; augment `HubSubs` in a host project for precise types:
 *
 *   declare module 'tspop' { interface HubSubs { evbus: { broker: { put(body: unknown): Promise<void> } } } }
 */
import type { DependencyContainer } from 'tsyringe';

/** The type of a dynamically merged hub member (a sub, a module, a function or plugin-held state). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hub is a runtime namespace, see HubSubs
export type Dynamic = any;

/** Augment this interface to type the subs your project adds. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HubSubs {}

/** Deep-frozen options built by `hub.pop.config.load`, one object per project/dyne name. */
export type Opt = Readonly<Record<string, Readonly<Record<string, Dynamic>>>>;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What a plugin function receives as `hub`: the hub seen from that plugin's module. */
export interface HubCore {
  /** The core sub: `hub.pop.sub`, `hub.pop.ref`, `hub.pop.config`. */
  readonly pop: Dynamic;
  /** Options; empty until `hub.pop.config.load` runs. Deep-frozen. */
  readonly OPT: Opt;
  /** tsyringe container holding the hub's core services; register your own to swap them. */
  readonly container: DependencyContainer;
  /** The hub's logger (a core service). */
  readonly log: Logger;
  /** The host project's root folder. */
  readonly root: string;
  /** Current module (only inside a plugin function). */
  readonly _: Dynamic;
  /** Current sub (only inside a plugin function). */
  readonly __: Dynamic;
  /** Parent of the current sub (only inside a plugin function). */
  readonly ___: Dynamic;
  /** Runs every sub's shutdown hooks in reverse order of adding. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
  /** Iterates the top-level subs in name order. */
  [Symbol.iterator](): Iterator<Dynamic>;
}

export type Hub = HubCore & HubSubs & { [sub: string]: Dynamic };

/** A module marker `__virtual__` may return any of these; may be async. */
export type VirtualResult = boolean | string | readonly [boolean, string?] | undefined;

/** One load failure, kept per module and raised with its code when the module is used. */
export interface LoadFailure {
  readonly sub: string;
  readonly module: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly cause?: unknown;
}

/** The ctx a contract function receives. */
export interface ContractCtx {
  /** The plugin function being called (without the hub argument). */
  readonly func: (...args: Dynamic[]) => Dynamic;
  /** The module's reference, e.g. `mods.test.ping`. */
  readonly ref: string;
  /** Arguments after `hub`; `pre` contracts may edit or replace them. */
  args: Dynamic[];
  /** The trailing plain-object argument (JS's keyword arguments), or undefined; same object as in `args`. */
  readonly kwargs: Record<string, Dynamic> | undefined;
  /** The return value, in `post` contracts. */
  ret: Dynamic;
  /** Scratch space shared by every contract of this one call. */
  readonly cache: Record<string, Dynamic>;
}
