/**
 * A service's endpoint objects from its configuration: each block's module resolved (hub plugin or module_path
 * file) and its `create` called with the block and a context; nested blocks become endpoints too and are the
 * `children` of their provider. The service's own block is the first entry.
 */
import { TspopError } from '../../../src/errors.ts';
import { describeError } from '../../../src/describe-error.ts';
import type { Hub, Logger } from '../../../src/types.ts';
import { DriplineModuleError } from '../_errors.ts';
import { isEndpoint, type Endpoint, type EndpointConfig, type EndpointContext } from './endpoint-types.ts';
import { Lockout } from './lockout.ts';
import { resolveModule } from './modules.ts';
import type { ValueStore } from './value-store.ts';

export interface BuiltEndpoint {
  readonly endpoint: Endpoint;
  readonly config: EndpointConfig;
  /** The endpoint's own lock (`cmd <name> -s lock`). */
  readonly lock: Lockout;
}

export interface BuildEnv {
  readonly service: string;
  readonly log: Logger;
  readonly store: ValueStore | undefined;
  alert(routingKey: string, payload: unknown): Promise<void>;
}

export async function buildEndpoints(hub: Hub, root: EndpointConfig, env: BuildEnv): Promise<Map<string, BuiltEndpoint>> {
  const out = new Map<string, BuiltEndpoint>();
  await build(hub, root, env, out);
  return out;
}

async function build(hub: Hub, config: EndpointConfig, env: BuildEnv, out: Map<string, BuiltEndpoint>): Promise<Endpoint> {
  const create = await resolveModule(hub, config);
  const children: Endpoint[] = [];
  const ctx: EndpointContext = { service: env.service, log: env.log, store: env.store, children, alert: env.alert };
  let endpoint: unknown;
  try {
    endpoint = await create(config, ctx);
  } catch (err) {
    if (TspopError.is(err)) throw err;
    throw new DriplineModuleError(`${config.where}: module ${config.module} failed to create the endpoint: ${describeError(err, { redact: true })}`, { cause: err });
  }
  if (!isEndpoint(endpoint)) throw new DriplineModuleError(`${config.where}: module ${config.module}'s create() did not return an endpoint (an object with a name)`);
  out.set(config.name, { endpoint, config, lock: new Lockout() });
  for (const child of config.endpoints) children.push(await build(hub, child, env, out));
  return endpoint;
}
