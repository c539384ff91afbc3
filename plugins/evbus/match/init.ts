/**
 * hub.evbus.match — how an event's profile is matched against acct profile names (the names are the patterns).
 * Strategies are plugins with `find(hub, name, pattern): boolean`; `glob` is the default, `regex` ships too.
 */
import type { Hub } from '../../../src/index.ts';
import { EvbusMatchError } from '../_errors.ts';

export function __init__(hub: Hub): void {
  hub.__.PLUGIN = 'glob';
}

/** Matches with `hub.evbus.match.PLUGIN` (pop's `hub.match.init.find`). */
export function find(hub: Hub, name: string, pattern: string): boolean {
  const plugin: string = hub.__.PLUGIN;
  const mod = plugin === 'init' ? undefined : hub.__[plugin];
  if (typeof mod?.find !== 'function') throw new EvbusMatchError(`no match plugin "${plugin}" in hub.evbus.match`);
  return mod.find(name, pattern) as boolean;
}
