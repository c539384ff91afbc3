import { CONFIG_FLAG, VERBOSE_FLAG, VERSION_FLAG, allFlags, entriesFor, positionalsFor } from './check-flags.ts';
import { isListNargs, type CliEntry, type CliModel } from './option-spec.ts';

/** Where one occurrence of a flag is recorded. */
export type FlagTarget =
  | { readonly kind: 'entry'; readonly entry: CliEntry; readonly neg: boolean }
  | { readonly kind: 'config' }
  | { readonly kind: 'version' }
  /** read by the runner from argv (it must work even when parsing fails), so only accepted here */
  | { readonly kind: 'verbose' };

/** A flag of one parser level and what it takes from the words after it. */
export interface FlagDef {
  readonly flag: string;
  /** `none`: a switch; `required`: always takes the next word; `optional`: takes it unless it looks like a flag. */
  readonly arity: 'none' | 'required' | 'optional';
  /** Keeps taking the words that follow, up to the next flag (`nargs` `+`, `*` or a count). */
  readonly variadic: boolean;
  readonly target: FlagTarget;
}

/** The top level of a CLI or one subcommand: the flags it accepts and the positionals it fills, in order. */
export interface ParserLevel {
  readonly subcommand: string | undefined;
  /** The level has subcommands: a word after an unknown flag may belong to one, so it is kept for it. */
  readonly hasSubcommands: boolean;
  readonly flags: ReadonlyMap<string, FlagDef>;
  readonly positionals: readonly CliEntry[];
  /** A digit short flag (`-1`) is defined: `-1` is then that flag, never a negative number. */
  readonly digitFlag: boolean;
}

export function parserLevel(model: CliModel, sub: string | undefined): ParserLevel {
  const flags = new Map<string, FlagDef>();
  for (const entry of entriesFor(model, sub)) {
    if (entry.positional) continue;
    const { arity, variadic } = arityOf(entry);
    for (const flag of allFlags(entry)) {
      flags.set(flag, { flag, arity, variadic, target: { kind: 'entry', entry, neg: flag === entry.negFlag } });
    }
  }
  if (model.builtinConfigFlag) flags.set(CONFIG_FLAG, { flag: CONFIG_FLAG, arity: 'required', variadic: false, target: { kind: 'config' } });
  if (model.builtinVerboseFlag) flags.set(VERBOSE_FLAG, { flag: VERBOSE_FLAG, arity: 'none', variadic: false, target: { kind: 'verbose' } });
  if (model.versionFlag && sub === undefined) flags.set(VERSION_FLAG, { flag: VERSION_FLAG, arity: 'none', variadic: false, target: { kind: 'version' } });
  return {
    subcommand: sub,
    hasSubcommands: sub === undefined && model.subcommands.length > 0,
    flags,
    positionals: positionalsFor(model, sub),
    digitFlag: [...flags.keys()].some((f) => /^-\d$/.test(f)),
  };
}

function arityOf(entry: CliEntry): Pick<FlagDef, 'arity' | 'variadic'> {
  if (entry.switch) return { arity: 'none', variadic: false };
  if (entry.nargs === '?') return { arity: 'optional', variadic: false };
  if (entry.nargs === '*') return { arity: 'optional', variadic: true };
  return { arity: 'required', variadic: isListNargs(entry.nargs) };
}
