import { ConfigFileError } from '../errors.ts';
import { closest } from './closest.ts';
import { configError } from './config-error.ts';
import type { GivenValue } from './cli-values.ts';
import type { OptionSpec } from './option-spec.ts';
import { coerceValue } from './parse-value.ts';

/**
 * The values of a config file for the built namespaces, typed and checked. Namespaces not built are ignored
 * (the file may serve other tools); an unknown key in a built namespace is an error, as it is most likely a typo.
 */
export function fileValues(data: Record<string, unknown>, path: string, options: readonly OptionSpec[]): GivenValue[] {
  const byNs = new Map<string, Map<string, OptionSpec>>();
  for (const spec of options) {
    const keys = byNs.get(spec.ns) ?? new Map<string, OptionSpec>();
    keys.set(spec.key, spec);
    byNs.set(spec.ns, keys);
  }
  const out: GivenValue[] = [];
  for (const [ns, section] of Object.entries(data)) {
    const keys = byNs.get(ns);
    if (!keys || section === null || section === undefined) continue;
    if (typeof section !== 'object' || Array.isArray(section)) {
      throw configError(ConfigFileError, `config file ${path}: ${ns} must be a mapping of option names to values`);
    }
    for (const [key, raw] of Object.entries(section)) {
      const spec = keys.get(key);
      if (!spec) {
        const hint = closest(key, keys.keys());
        const msg = `config file ${path}: unknown option ${ns}.${key}${hint ? ` (did you mean ${hint}?)` : ''}`;
        throw configError(ConfigFileError, msg);
      }
      out.push({ spec, value: coerceValue(raw, spec, { kind: 'file', path }) });
    }
  }
  return out;
}
