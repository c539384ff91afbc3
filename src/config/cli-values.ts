import { ConfigUsageError } from '../errors.ts';
import type { ArgvCapture, FlagEvent } from './argv-capture.ts';
import { configError } from './config-error.ts';
import { isListNargs, type CliEntry, type OptionSpec } from './option-spec.ts';
import { coerceValue } from './parse-value.ts';

/** A value given on the command line, typed and checked, for `opt[spec.ns][spec.key]`. */
export interface GivenValue {
  readonly spec: OptionSpec;
  readonly value: unknown;
}

const CLI = { kind: 'cli' } as const;

/** Converts what the command line said into typed values, by option id. */
export function cliValues(capture: ArgvCapture): Map<string, GivenValue> {
  const out = new Map<string, GivenValue>();
  for (const [entry, events] of capture.flags) {
    out.set(entry.spec.id, { spec: entry.spec, value: flagValue(entry, events) });
  }
  for (const [entry, raw] of capture.positionals) {
    // an optional list positional left empty was not given: env and file values stay
    if (Array.isArray(raw) && raw.length === 0) continue;
    out.set(entry.spec.id, { spec: entry.spec, value: coerceValue(raw, entry.spec, CLI) });
  }
  return out;
}

function flagValue(entry: CliEntry, events: readonly FlagEvent[]): unknown {
  const last = events[events.length - 1]!;
  if (entry.action === 'count') return events.length;
  if (entry.action === 'store_false') return false;
  if (entry.switch) return !last.neg;
  if (isListNargs(entry.nargs) || entry.action === 'append') {
    const values = events.flatMap((e) => (typeof e.value === 'string' ? [e.value] : []));
    if (typeof entry.nargs === 'number' && values.length !== entry.nargs) {
      const msg = `option ${entry.flags[0]}: expects ${entry.nargs} value${entry.nargs === 1 ? '' : 's'}, got ${values.length}`;
      throw configError(ConfigUsageError, msg);
    }
    return coerceValue(values, entry.spec, CLI);
  }
  // nargs '?' given without a value: argparse stores its `const`, None by default
  if (last.value === null || last.value === undefined) return null;
  return coerceValue(last.value, entry.spec, CLI);
}
