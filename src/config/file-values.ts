import { ConfigFileError } from '../errors.ts';
import { closest } from './closest.ts';
import { configError } from './config-error.ts';
import type { GivenValue } from './cli-values.ts';
import type { Origin } from './option-label.ts';
import type { OptionSpec } from './option-spec.ts';
import { coerceValue } from './parse-value.ts';

/**
 * The values of a config file for the built namespaces, typed and checked. Namespaces not built are ignored
 * (the file may serve other tools); an unknown key in a built namespace is an error, as it is most likely a typo.
 */
export function fileValues(data: Record<string, unknown>, path: string, options: readonly OptionSpec[]): GivenValue[] {
  return mappingValues(data, options, { kind: 'file', path }, true);
}

/**
 * The values a kv store holds for the built namespaces (`<prefix><namespace>/<option>`), typed and checked. A kv
 * store is shared by many services and holds more than options, so keys that are not options are skipped.
 */
export function kvValues(data: Readonly<Record<string, unknown>>, options: readonly OptionSpec[]): GivenValue[] {
  return mappingValues(data, options, { kind: 'kv' }, false);
}

function mappingValues(data: Readonly<Record<string, unknown>>, options: readonly OptionSpec[], origin: Origin, strict: boolean): GivenValue[] {
  const where = origin.kind === 'file' ? `config file ${origin.path}` : 'kv store';
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
      if (!strict) continue;
      throw configError(ConfigFileError, `${where}: ${ns} must be a mapping of option names to values`);
    }
    for (const [key, raw] of Object.entries(section)) {
      const spec = keys.get(key);
      if (!spec) {
        if (!strict) continue;
        const hint = closest(key, keys.keys());
        throw configError(ConfigFileError, `${where}: unknown option ${ns}.${key}${hint ? ` (did you mean ${hint}?)` : ''}`);
      }
      out.push({ spec, value: coerceValue(raw, spec, origin) });
    }
  }
  return out;
}
