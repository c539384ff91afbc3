/**
 * The value of a kv_store endpoint: `initial_value` until set, then the last value set. With a value store
 * (a hub.kv store configured for the service) the value is read back at start and written on every set, so it
 * survives a restart; the key is `<service>/<endpoint>`.
 */
import type { EndpointContext } from './endpoint-types.ts';
import type { ValueCell } from './entity.ts';

export async function kvCell(ctx: EndpointContext, name: string, initial: unknown, convert: (v: unknown) => unknown, result: 'none' | 'value'): Promise<ValueCell> {
  const key = `${ctx.service}/${name}`;
  const stored = ctx.store ? await ctx.store.get(key) : undefined;
  let value = stored !== undefined ? stored : initial;
  return {
    read: () => value,
    async write(v: unknown) {
      const next = convert(v);
      if (ctx.store) await ctx.store.put(key, next);
      value = next;
      return result === 'value' ? next : undefined;
    },
  };
}
