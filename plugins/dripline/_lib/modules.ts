/**
 * `module:` and `module_path:` to an endpoint module. A name matches a plugin of hub.dripline.endpoints by its
 * file name or one of its MODULE_NAMES, ignoring case and underscores (`KeyValueStore` finds kv_store.ts); a
 * host adds modules by dropping files into its own dripline dyne's `endpoints/`. `module_path` imports the
 * user's file through the hub's module loader (TypeScript included) and calls its `create(hub, config, ctx)`.
 */
import { closest } from '../../../src/config/closest.ts';
import { describeError } from '../../../src/describe-error.ts';
import { MODULE_LOADER } from '../../../src/tokens.ts';
import type { ModuleLoader } from '../../../src/module-loader.ts';
import type { Hub } from '../../../src/types.ts';
import { DriplineModuleError } from '../_errors.ts';
import type { Endpoint, EndpointConfig, EndpointContext } from './endpoint-types.ts';

export type CreateEndpoint = (config: EndpointConfig, ctx: EndpointContext) => Endpoint | Promise<Endpoint>;

const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');

export async function resolveModule(hub: Hub, config: EndpointConfig): Promise<CreateEndpoint> {
  if (config.modulePath) return fromFile(hub, config);
  const sub = hub.dripline?.endpoints;
  if (!sub) throw new DriplineModuleError(`${config.where}: hub.dripline.endpoints is not loaded`);
  const want = norm(config.module);
  const names: string[] = [];
  for (const mod of sub as Iterable<{ name: string; MODULE_NAMES?: unknown; create?: unknown }>) {
    const aliases = Array.isArray(mod.MODULE_NAMES) ? mod.MODULE_NAMES.filter((n): n is string => typeof n === 'string') : [];
    names.push(mod.name);
    if ([mod.name, ...aliases].some((n) => norm(n) === want)) return checked(mod.create, config, `hub.dripline.endpoints.${mod.name}`);
  }
  for (const failure of hub.pop.sub.failures(sub) as { module: string; message: string; code: string }[]) {
    if (norm(failure.module) === want) throw new DriplineModuleError(`${config.where}: module ${config.module} failed to load: ${failure.message} [${failure.code}]`);
  }
  const hint = closest(config.module, names);
  throw new DriplineModuleError(`${config.where}: no endpoint module ${JSON.stringify(config.module)}${hint ? ` (did you mean ${hint}?)` : ''}; hub.dripline.endpoints has: ${names.join(', ')}`);
}

async function fromFile(hub: Hub, config: EndpointConfig): Promise<CreateEndpoint> {
  const path = config.modulePath as string;
  let exports: Record<string, unknown>;
  try {
    exports = await hub.container.resolve<ModuleLoader>(MODULE_LOADER).load(path, { timeoutMs: 30_000 });
  } catch (err) {
    throw new DriplineModuleError(`${config.where}: cannot load module_path ${path}: ${describeError(err, { redact: true })}`, { cause: err });
  }
  const create = exports.create ?? (exports.default as { create?: unknown } | undefined)?.create;
  if (typeof create !== 'function') {
    throw new DriplineModuleError(`${config.where}: ${path} does not export create(hub, config, ctx) (it exports: ${Object.keys(exports).join(', ') || 'nothing'})`);
  }
  return (cfg, ctx) => (create as (hub: Hub, c: EndpointConfig, x: EndpointContext) => Endpoint | Promise<Endpoint>)(hub, cfg, ctx);
}

function checked(create: unknown, config: EndpointConfig, ref: string): CreateEndpoint {
  if (typeof create !== 'function') throw new DriplineModuleError(`${config.where}: ${ref} does not export create(hub, config, ctx)`);
  // hub functions already have the hub bound: call with (config, ctx)
  return create as CreateEndpoint;
}
