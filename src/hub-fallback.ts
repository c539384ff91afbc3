import { HUB_SELF, VIEW_LEVELS } from './meta.ts';
import { HubReadonlyError } from './errors.ts';

const UNDERSCORES = /^_+$/;

/**
 * The last link of every hub's prototype chain, so it is only reached for names the hub does not have:
 * - writing a new name (pop's `hub.CPING = True`) makes it top-level state on the real hub, whichever module's
 *   view wrote it, so every plugin reads it (hub members, OPT and subs are found before this and stay protected);
 * - a run of N underscores (`hub.____`) climbs N levels from the reading module: its sub, then each parent, then
 *   the hub itself (views pin `_`, `__` and `___`; longer runs land here).
 * Reads of names that do exist never get here, so the hub's call paths keep their speed.
 */
export function createHubFallback(): object {
  return new Proxy(Object.create(Object.prototype) as object, {
    get(target, key, receiver: Record<symbol, unknown>) {
      if (typeof key === 'string' && UNDERSCORES.test(key) && receiver?.[HUB_SELF]) return climb(receiver, key.length);
      return Reflect.get(target, key, receiver);
    },
    set(target, key, value: unknown, receiver: Record<symbol, unknown>) {
      const real = receiver?.[HUB_SELF] as object | undefined;
      if (!real) return Reflect.set(target, key, value, receiver);
      if (typeof key === 'string' && UNDERSCORES.test(key)) {
        throw new HubReadonlyError(`hub.${key} cannot be set: runs of underscores name the module and its subs`);
      }
      Object.defineProperty(real, key, { value, writable: true, enumerable: typeof key === 'string', configurable: true });
      return true;
    },
  });
}

function climb(receiver: Record<symbol, unknown>, levels: number): unknown {
  const chain = receiver[VIEW_LEVELS] as readonly unknown[] | undefined;
  if (!chain) return undefined; // the real hub itself has no module to start from
  return levels <= chain.length ? chain[levels - 1] : receiver[HUB_SELF];
}
