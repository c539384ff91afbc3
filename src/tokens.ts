/**
 * Injection tokens of the hub's tsyringe container. Explicit tokens (not class types) because esbuild/vitest
 * emit no decorator metadata: write `@inject(HUB)`, never rely on parameter types.
 */
export const HUB = Symbol.for('tspop.Hub');
export const LOGGER = Symbol.for('tspop.Logger');
export const MODULE_LOADER = Symbol.for('tspop.ModuleLoader');
export const DYNE_SCANNER = Symbol.for('tspop.DyneScanner');
export const CONFIG_BUILDER = Symbol.for('tspop.ConfigBuilder');
