/**
 * `module: Service` — the service's own endpoint (the top level of a service YAML): requests routed to the
 * service's name reach it, as do broadcasts. It has no value; `get <service> -s endpoints` lists the endpoints and
 * `set <service> -s logging_status on|off` switches scheduled logging of every endpoint at once.
 */
import type { Hub } from '../../../src/index.ts';
import { EndpointOptions } from '../_lib/endpoint-options.ts';
import type { Endpoint, EndpointConfig, EndpointContext } from '../_lib/endpoint-types.ts';
import { providerAttributes } from '../_lib/provider.ts';

/** dripline-python 5's class name, and the seed's default top-level module. */
export const MODULE_NAMES = ['Service', 'Spimescape', 'Portal'];

export function create(_hub: Hub, config: EndpointConfig, ctx: EndpointContext): Endpoint {
  new EndpointOptions(config).checkNoneLeft();
  return { name: config.name, attributes: providerAttributes(config.name, () => ctx.children) };
}
