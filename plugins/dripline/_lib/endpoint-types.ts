/**
 * The interface of an endpoint module (a plugin of `hub.dripline.endpoints`, or a user's file named by
 * `module_path`): it exports `create(hub, config, ctx)` returning an Endpoint. The service owns the protocol —
 * routing, lockout, specifiers, return codes — and calls only these members.
 */
import type { Logger } from '../../../src/types.ts';
import type { ValueStore } from './value-store.ts';

/** One block of `endpoints:` (or the service's own top level), as the service YAML gave it. */
export interface EndpointConfig {
  readonly name: string;
  /** `module` as written (`kv_store`, `KeyValueStore`, ...). */
  readonly module: string;
  /** Absolute path of `module_path`, when given. */
  readonly modulePath: string | undefined;
  /** Every other key of the block, ENV{} substituted: the endpoint's own options. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Nested `endpoints:` (a provider's endpoints, the seed's `providers:` shape). */
  readonly endpoints: readonly EndpointConfig[];
  /** Where the block came from, for messages: `my_store.yaml: endpoints[2] (chips)`. */
  readonly where: string;
}

/** A readable (and optionally writable) endpoint attribute, reached with a specifier on get/set. */
export interface EndpointAttribute {
  get(): unknown;
  set?(value: unknown): unknown;
}

/** A command reached with `cmd <endpoint> -s <name>`: `values` as args, the other payload fields as kwargs. */
export type EndpointCommand = (args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => unknown;

/** What an endpoint module's `create` returns. Every member is optional except the name. */
export interface Endpoint {
  readonly name: string;
  /** get without specifier; absent: 306. */
  on_get?(): unknown;
  /** set without specifier, with the first of `values`; absent: 306. */
  on_set?(value: unknown): unknown;
  /** Attributes for get/set with a specifier; a missing one is 310. */
  readonly attributes?: Readonly<Record<string, EndpointAttribute>>;
  /** Commands for cmd with a specifier; a missing one is 306. */
  readonly commands?: Readonly<Record<string, EndpointCommand>>;
  /** The standard's set_condition broadcast (an integer); default: no action. */
  on_set_condition?(condition: number): unknown;
  /** Called when the service starts consuming (start timers here) and when it stops. */
  start?(): unknown;
  stop?(): unknown;
}

/** What `create` gets besides its config. */
export interface EndpointContext {
  /** The service's name (also the first token of its own routing keys). */
  readonly service: string;
  readonly log: Logger;
  /** Publishes an alert (message type 4) on the mesh's alerts exchange. */
  alert(routingKey: string, payload: unknown): Promise<void>;
  /** Values that should survive a restart (a hub.kv store when the service configures one). */
  readonly store: ValueStore | undefined;
  /** The endpoints nested under this one (filled before `start`). */
  readonly children: readonly Endpoint[];
}

/** The shape of an endpoint module: checked when the service loads it. */
export interface EndpointModule {
  create(config: EndpointConfig, ctx: EndpointContext): Endpoint | Promise<Endpoint>;
}

export function isEndpoint(value: unknown): value is Endpoint {
  return value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string';
}
