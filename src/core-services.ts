/**
 * The hub's core services (logger, module loader, dyne scanner) and the tsyringe container that holds them.
 * The container is made on first use (`hub.container`, or a class plugin to construct), so that a hub that
 * never needs one does not load tsyringe; until then the same services come from the defaults. Once it exists
 * it is the one source, so a service registered there (a swapped MODULE_LOADER) wins from then on.
 */
import type { DependencyContainer } from 'tsyringe';
import { loadTsyringe } from './tsyringe.ts';
import { HUB, LOGGER, MODULE_LOADER, DYNE_SCANNER } from './tokens.ts';
import { PackageDyneScanner, type DyneScanner } from './dyne-scanner.ts';
import type { ModuleLoader } from './module-loader.ts';
import type { Logger } from './types.ts';

/** Own slot of the real hub. */
export const CORE: unique symbol = Symbol('tspop.core');

export interface CoreSlot {
  readonly root: string;
  readonly logger: Logger;
  readonly loader: ModuleLoader;
  container: DependencyContainer | undefined;
}

interface CoreHost {
  readonly [CORE]: CoreSlot;
}

/** `hub.container`: made with the defaults registered, as Hub.create used to. */
export function containerOf(hub: CoreHost): DependencyContainer {
  const core = hub[CORE];
  if (core.container) return core.container;
  const container = loadTsyringe().container.createChildContainer();
  container.register(HUB, { useValue: hub });
  container.register(LOGGER, { useValue: core.logger });
  container.register(MODULE_LOADER, { useValue: core.loader });
  container.register(DYNE_SCANNER, {
    useFactory: (c) => new PackageDyneScanner(core.root, c.resolve<ModuleLoader>(MODULE_LOADER)),
  });
  core.container = container;
  return container;
}

export function loggerOf(hub: CoreHost): Logger {
  const core = hub[CORE];
  return core.container ? core.container.resolve<Logger>(LOGGER) : core.logger;
}

export function moduleLoaderOf(hub: CoreHost): ModuleLoader {
  const core = hub[CORE];
  return core.container ? core.container.resolve<ModuleLoader>(MODULE_LOADER) : core.loader;
}

/** A new scanner each time, as the container's factory registration gives. */
export function dyneScannerOf(hub: CoreHost): DyneScanner {
  const core = hub[CORE];
  return core.container ? core.container.resolve<DyneScanner>(DYNE_SCANNER) : new PackageDyneScanner(core.root, core.loader);
}
