/**
 * `module: Endpoint` — an endpoint with no value of its own: it answers the built-in requests (ping, lock,
 * unlock, is-locked) and, with nested endpoints, forwards `logging_status` to them (a seed-style provider).
 */
import type { Hub } from '../../../src/index.ts';
import { EndpointOptions } from '../_lib/endpoint-options.ts';
import type { Endpoint, EndpointConfig, EndpointContext } from '../_lib/endpoint-types.ts';
import { providerAttributes } from '../_lib/provider.ts';

/** Other spellings of this module in service YAML files. */
export const MODULE_NAMES = ['Endpoint', 'Provider'];

export function create(_hub: Hub, config: EndpointConfig, ctx: EndpointContext): Endpoint {
  new EndpointOptions(config).checkNoneLeft();
  return { name: config.name, attributes: providerAttributes(config.name, () => ctx.children) };
}
