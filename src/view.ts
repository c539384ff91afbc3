import type { Sub } from './sub.ts';
import { META } from './meta.ts';

/**
 * The hub as one module sees it. pop finds `hub._` by inspecting the call stack; we instead give each module its
 * own view: an object whose prototype is the hub (so every sub and OPT read goes straight through) with `_`,
 * `__` and `___` pinned. Views are non-extensible so a plugin writing `hub.newThing = x` gets an error instead
 * of state that only it can see.
 */
export function createView(hub: object, mod: object | undefined, sub: Sub | undefined): object {
  const view = Object.create(hub) as object;
  const parent = sub?.[META].parent ?? hub;
  Object.defineProperties(view, {
    _: { value: mod, enumerable: false },
    __: { value: sub, enumerable: false },
    ___: { value: sub ? parent : undefined, enumerable: false },
  });
  return Object.preventExtensions(view);
}
