import { cloneValue } from './clone-value.ts';
import type { OptionSpec } from './option-spec.ts';

export type ValueSource = 'default' | 'file' | 'kv' | 'env' | 'cli';

/** `opt` being built, and where each value came from. */
export interface OptState {
  readonly opt: Record<string, Record<string, unknown>>;
  readonly sources: Record<string, Record<string, ValueSource>>;
}

/** Own data property, even for a name like `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A namespace (possibly empty) for every name, holding the options' defaults (deep-cloned). */
export function defaultState(namespaces: readonly string[], options: readonly OptionSpec[]): OptState {
  const state: OptState = { opt: {}, sources: {} };
  for (const ns of namespaces) {
    put(state.opt, ns, {});
    put(state.sources, ns, {});
  }
  for (const spec of options) if (spec.hasDefault) setValue(state, spec, cloneValue(spec.default), 'default');
  return state;
}

export function setValue(state: OptState, spec: OptionSpec, value: unknown, source: ValueSource): void {
  if (!Object.hasOwn(state.opt, spec.ns)) {
    put(state.opt, spec.ns, {});
    put(state.sources, spec.ns, {});
  }
  put(state.opt[spec.ns]!, spec.key, value);
  put(state.sources[spec.ns]!, spec.key, source);
}
