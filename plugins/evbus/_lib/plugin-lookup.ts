/**
 * Finds the plugins a bus run uses, once at start, with a coded error naming what is missing and what exists.
 * `hub` is the view of an evbus module (`hub.__` is the evbus sub).
 */
import { EvbusMatchError, EvbusOptionsError, EvbusSerialError } from '../_errors.ts';
import type { Dynamic, Hub } from '../../../src/types.ts';
import type { EvbusPublishError, SerialPlugin } from './types.ts';

export function serialPlugin(hub: Hub, name: string): SerialPlugin {
  const mod = hub.serial?.[name];
  if (typeof mod?.dump !== 'function') {
    throw new EvbusSerialError(`no serial plugin "${name}" (loaded: ${names(hub.serial)}); drop ${name}.ts into a serial dyne folder`);
  }
  return mod as SerialPlugin;
}

/** `(eventProfile, acctProfileName) => boolean` from `hub.evbus.match.<name>.find`. */
export function matcher(hub: Hub, name: string): (name: string, pattern: string) => boolean {
  const mod = hub.__.match?.[name];
  if (typeof mod?.find !== 'function') {
    throw new EvbusMatchError(`no match plugin "${name}" (loaded: ${names(hub.__.match)})`);
  }
  return mod.find as (name: string, pattern: string) => boolean;
}

/** The function at hub ref `ref`, called with an EvbusPublishError for each failed publish. */
export function errorCallback(hub: Hub, ref: string): (report: EvbusPublishError) => unknown {
  let fn: unknown;
  try {
    fn = hub.pop.ref.last(ref);
  } catch (cause) {
    throw new EvbusOptionsError(`error_callback_ref "${ref}" is not on the hub`, { cause });
  }
  if (typeof fn !== 'function') throw new EvbusOptionsError(`error_callback_ref "${ref}" is not a function`);
  return fn as (report: EvbusPublishError) => unknown;
}

function names(sub: Dynamic): string {
  if (!sub) return 'none';
  return [...sub].map((m: { name: string }) => m.name).filter((n: string) => n !== 'init').join(', ') || 'none';
}
