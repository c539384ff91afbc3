import type { GivenValue } from './cli-values.ts';
import type { OptionSpec } from './option-spec.ts';
import { coerceValue } from './parse-value.ts';

/**
 * Values of options with an `os` env var, typed and checked. An empty variable counts as unset; options given
 * on the command line are skipped, so a stale bad variable does not block an explicit flag.
 */
export function envValues(
  options: readonly OptionSpec[],
  env: Readonly<Record<string, string | undefined>>,
  skip: ReadonlySet<string>,
): Map<string, GivenValue> {
  const out = new Map<string, GivenValue>();
  for (const spec of options) {
    if (spec.env === undefined || skip.has(spec.id)) continue;
    const raw = env[spec.env];
    if (raw === undefined || raw === '') continue;
    out.set(spec.id, { spec, value: coerceValue(raw, spec, { kind: 'env', name: spec.env }) });
  }
  return out;
}
