/**
 * hub.pop.ref — reach hub members by dotted reference, as pop does: `hub.pop.ref.last('evbus.broker.put')`.
 */
import { realHub } from '../real-hub.ts';
import type { Dynamic, Hub } from '../types.ts';
import { RefNotFoundError } from '../errors.ts';

/** Every object along `ref`, starting with the hub. */
export function path(hub: Hub, ref: string): Dynamic[] {
  const parts = split(ref);
  const out: Dynamic[] = [realHub(hub)];
  let cur: Dynamic = out[0];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const next = cur == null ? undefined : cur[part];
    if (next === undefined) {
      throw new RefNotFoundError(`hub.${ref}: "${part}" not found under hub${i ? '.' + parts.slice(0, i).join('.') : ''}`);
    }
    out.push(next);
    cur = next;
  }
  return out;
}

/** The object `ref` points at. */
export function last(hub: Hub, ref: string): Dynamic {
  const all = path(hub, ref);
  return all[all.length - 1];
}

/** Puts `obj` at `ref`; the parent must exist (subs are made with hub.pop.sub.add). */
export function create(hub: Hub, ref: string, obj: unknown): void {
  const parts = split(ref);
  const key = parts.pop() as string;
  const parent = parts.length ? last(hub, parts.join('.')) : realHub(hub);
  Object.defineProperty(parent, key, { value: obj, enumerable: true, writable: true, configurable: true });
}

function split(ref: string): string[] {
  if (typeof ref !== 'string' || ref === '' || ref.split('.').some((p) => p === '')) {
    throw new RefNotFoundError(`"${String(ref)}" is not a hub reference (expected names joined by dots)`);
  }
  return ref.startsWith('hub.') ? ref.slice(4).split('.') : ref.split('.');
}
