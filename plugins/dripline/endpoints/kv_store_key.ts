/**
 * `module: kv_store_key` — the seed's key-value endpoint (dragonfly's kv_store_key): like kv_store, but as the
 * seed stored it: a set value becomes a float when it reads as a number, get's value_raw is its Python str()
 * (`'0.75'`, `'4.0'`), and set replies with the stored value. The seed's tutorial output is exactly
 * `peaches(ret:0): {'value_cal': 1.5, 'value_raw': '0.75'}`.
 */
import type { Hub } from '../../../src/index.ts';
import { EndpointOptions } from '../_lib/endpoint-options.ts';
import type { Endpoint, EndpointConfig, EndpointContext } from '../_lib/endpoint-types.ts';
import { createEntity } from '../_lib/entity.ts';
import { kvCell } from '../_lib/kv-cell.ts';
import { pyFloatStr, pyStr } from '../_lib/python-str.ts';

export const MODULE_NAMES = ['kv_store_key'];

export async function create(_hub: Hub, config: EndpointConfig, ctx: EndpointContext): Promise<Endpoint> {
  const opts = new EndpointOptions(config);
  const cell = await kvCell(ctx, config.name, toFloat(opts.any('initial_value') ?? null), toFloat, 'value');
  const rawCell = { read: () => asPythonStr(cell.read()), write: (v: unknown) => cell.write(v) };
  return createEntity(config, ctx, opts, rawCell);
}

/** The seed's on_set: float(value) when that works, else the value as it is. */
function toFloat(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

function asPythonStr(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  return typeof v === 'number' ? pyFloatStr(v) : pyStr(v);
}
