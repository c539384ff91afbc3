/**
 * Public shapes of the event bus: what an ingress plugin receives, what `start()` takes, what the error
 * callback gets. Plugins import these as types only (`import type { IngressEvent } from 'tspop'`).
 */
import type { Dynamic } from '../../../src/types.ts';

/** One event as delivered to `publish(hub, ctx, event)`. Frozen; shared by every publisher of the event. */
export interface IngressEvent<Raw = unknown> {
  /** The event's profile (`put(body, { profile })`, default `'default'`); acct profile names are matched against it. */
  readonly profile: string;
  /** The body as the serial plugin dumped it: a string (json, yaml) or a Buffer (msgpack). */
  readonly body: string | Buffer;
  /** The body as it was put, before serialising (do not mutate it). */
  readonly raw: Raw;
  /** Name of the serial plugin that produced `body` (`json`, `msgpack`, `yaml`, ...). */
  readonly serial: string;
  /** MIME type of `body` from the serial plugin's `CONTENT_TYPE` (e.g. `application/json`). */
  readonly contentType: string;
  /** Unique per event: `<bus id>:<seq>`. AMQP sends it as `messageId`, so consumers can drop at-least-once duplicates. */
  readonly id: string;
  /** Position in put order on this hub's bus, from 1. */
  readonly seq: number;
  /** When `put` accepted it (ms since the epoch). */
  readonly timestamp: number;
}

/** The second argument of `publish(hub, ctx, event)`: one matched acct profile. */
export interface IngressCtx<Acct = Dynamic> {
  /** The processed profile from acct's gather step (e.g. the AMQP connection manager), or the raw profile data. */
  readonly acct: Acct;
  /** The acct provider the profile came from (`amqp`, `pika`, `internal`, ...). */
  readonly provider: string;
  /** The acct profile name (the pattern the event's profile matched). */
  readonly profile: string;
}

/**
 * An ingress plugin as the hub shows it (`hub.ingress.<name>`). The file exports `ACCT` (the acct providers it
 * serves), `publish(hub, ctx, event)` (sync or async; a throw or rejection is reported, never fatal) and
 * optionally `CONCURRENCY` (default 1): how many of its publishes may be in flight per profile. Above 1 the
 * plugin must keep call order itself, as the amqp plugin does.
 */
export interface IngressPlugin {
  readonly ACCT: readonly string[];
  readonly CONCURRENCY?: number;
  publish(ctx: IngressCtx, event: IngressEvent): unknown;
}

/** provider -> acct profile name -> ctx (processed by a gather plugin, or raw profile data). */
export type EvbusContexts = Record<string, Record<string, unknown>>;

/** Options of `hub.evbus.init.start(opts)`. Unset ones come from `hub.OPT.evbus`, then the built-in defaults. */
export interface EvbusStartOptions {
  /** Ready-to-use contexts (already gathered). The caller owns them: the bus never closes them. */
  contexts?: EvbusContexts;
  /** Raw acct-style profiles (`{ amqp: { name: { host, ... } } }`): run through the `acct/evbus` gather plugins; closed when the hub closes. */
  profiles?: EvbusContexts;
  /** Unlock this acct file (with `acctKey`) and gather its profiles through acct. */
  acctFile?: string;
  acctKey?: string;
  /** Only acct profiles with these names are used (empty: all). The built-in internal default is exempt. */
  ingressProfiles?: readonly string[];
  /** `hub.evbus.match.<plugin>` (default `glob`). */
  matchPlugin?: string;
  /** `hub.serial.<plugin>` used by `put` (default `json`). */
  serialPlugin?: string;
  /** Bounded queue size: `put` waits and `putNowait` throws when this many events are queued (default 10000). */
  queueSize?: number;
  /** Hub ref (e.g. `myapp.errors.onPublish`) called with an `EvbusPublishError` when a publish fails. */
  errorCallbackRef?: string;
  /**
   * Give the internal ingress a `*` profile when no `internal` profile is configured. Default: only when no other
   * ingress profile matched the contexts (the embedded default); `true` always (evbus-test), `false` never.
   */
  internalDefault?: boolean;
}

/** What the error callback receives when a publish fails. Never the ctx: it may hold credentials. */
export interface EvbusPublishError {
  readonly error: unknown;
  /** Ingress plugin name (`amqp`, `http`, ...). */
  readonly plugin: string;
  /** The event's profile. */
  readonly profile: string;
  /** The acct provider and profile name that matched. */
  readonly provider: string;
  readonly acctProfile: string;
  /** The serialised body. */
  readonly body: string | Buffer;
  readonly event: IngressEvent;
}

/** Options of `put` / `putNowait`. */
/** What `stop({ timeoutMs })` says about the drain. */
export interface EvbusStopResult {
  /** Everything put before stop() was handed to the ingress plugins and their publishes settled in time. */
  readonly drained: boolean;
  /** When not drained: events still waiting per lane (ingress plugin and acct profile) when the deadline passed. */
  readonly undelivered: ReadonlyArray<{ readonly plugin: string; readonly provider: string; readonly profile: string; readonly events: number }>;
  /** When not drained: events still on the bus itself, not yet handed to any lane. */
  readonly queued: number;
}

export interface PutOptions {
  /** Event profile (default `'default'`). */
  profile?: string;
}

/** A serial plugin (`hub.serial.<name>`). */
export interface SerialPlugin {
  readonly CONTENT_TYPE?: string;
  dump(body: unknown): string | Buffer;
  load(data: string | Buffer | Uint8Array): unknown;
}
