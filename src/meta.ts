/** Where subs and modules keep their bookkeeping: a symbol, so no plugin name can clash with it. */
export const META: unique symbol = Symbol('tspop.meta');
/** Own property of the real hub; views inherit it, so hub methods find the hub from any plugin's view. */
export const HUB_SELF: unique symbol = Symbol('tspop.hub');
/** Slots of the real hub's internal state (symbols, so no sub name can clash). */
export const OPT_SLOT: unique symbol = Symbol('tspop.opt');
export const SUBS: unique symbol = Symbol('tspop.subs');
export const ADDED: unique symbol = Symbol('tspop.added');
export const CLOSED: unique symbol = Symbol('tspop.closed');
/** On a module's view: [module, its sub, the sub's parent, ... up to the top-level sub], for `hub.____` runs. */
export const VIEW_LEVELS: unique symbol = Symbol('tspop.viewLevels');
