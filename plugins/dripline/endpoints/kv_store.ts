/**
 * `module: kv_store` (dripline-python 5's KeyValueStore) — an endpoint holding one value: `initial_value` until
 * set. get replies `{ value_raw, value_cal }` (value_cal with a `calibration`); set stores the value as sent
 * (its reply is empty, or the get result with `get_on_set`). Every Entity option applies (log_on_set,
 * log_interval ...). With nested `endpoints:` it is also a provider, as the seed's kv_store was.
 */
import type { Hub } from '../../../src/index.ts';
import { EndpointOptions } from '../_lib/endpoint-options.ts';
import type { Endpoint, EndpointConfig, EndpointContext } from '../_lib/endpoint-types.ts';
import { createEntity } from '../_lib/entity.ts';
import { kvCell } from '../_lib/kv-cell.ts';
import { providerAttributes } from '../_lib/provider.ts';

export const MODULE_NAMES = ['KeyValueStore', 'key_value_store'];

export async function create(_hub: Hub, config: EndpointConfig, ctx: EndpointContext): Promise<Endpoint> {
  const opts = new EndpointOptions(config);
  const cell = await kvCell(ctx, config.name, opts.any('initial_value') ?? null, (v) => v, 'none');
  const entity = createEntity(config, ctx, opts, cell);
  if (config.endpoints.length === 0) return entity;
  return { ...entity, attributes: { ...entity.attributes, ...providerAttributes(config.name, () => ctx.children, entity.attributes?.logging_status) } };
}
