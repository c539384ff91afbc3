import type { Sub } from './sub.ts';
import { META, VIEW_LEVELS } from './meta.ts';

/**
 * The hub as one module sees it. pop finds `hub._` by inspecting the call stack; we instead give each module its
 * own view: an object whose prototype is the hub (so every sub and OPT read goes straight through) with `_`,
 * `__` and `___` pinned, and the whole chain of levels kept for longer runs (src/hub-fallback.ts). Views are
 * non-extensible: a plugin writing `hub.newThing = x` reaches the hub's fallback, which puts it on the real hub
 * for every plugin to see, instead of state only this module could see.
 */
export function createView(hub: object, mod: object | undefined, sub: Sub | undefined): object {
  const view = Object.create(hub) as object;
  const levels: unknown[] = mod === undefined ? [] : [mod];
  for (let s = sub; s; s = s[META].parent) levels.push(s);
  const parent = sub?.[META].parent ?? hub;
  Object.defineProperties(view, {
    _: { value: mod, enumerable: false },
    __: { value: sub, enumerable: false },
    ___: { value: sub ? parent : undefined, enumerable: false },
    [VIEW_LEVELS]: { value: mod === undefined ? [undefined, ...levels] : levels, enumerable: false },
  });
  return Object.preventExtensions(view);
}
