import type { CliEntry } from './option-spec.ts';

/** One occurrence (or, for a list, one value) of a flag on the command line. */
export interface FlagEvent {
  /** Given as `--no-x`. */
  readonly neg: boolean;
  /** The value; undefined for a switch, null for an optional value left out. */
  readonly value: string | null | undefined;
}

/** What the command line said, before any type conversion. */
export interface ArgvCapture {
  readonly flags: Map<CliEntry, FlagEvent[]>;
  readonly positionals: Map<CliEntry, string | string[]>;
  subcommand: string | undefined;
  version: boolean;
  configPath: string | undefined;
}

export function emptyCapture(): ArgvCapture {
  return { flags: new Map(), positionals: new Map(), subcommand: undefined, version: false, configPath: undefined };
}

/** Positionals are required unless `nargs` is `?`/`*` or they have a default. */
export function positionalRequired(entry: CliEntry): boolean {
  return entry.nargs !== '?' && entry.nargs !== '*' && !entry.spec.hasDefault;
}
