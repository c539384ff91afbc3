import { ConfigDefinitionError } from '../errors.ts';
import { configError } from './config-error.ts';
import { isListNargs, type CliEntry, type CliModel } from './option-spec.ts';

/** Flags tspop itself puts on every CLI. */
export const HELP_FLAGS = ['-h', '--help'] as const;
export const VERSION_FLAG = '--version';
export const CONFIG_FLAG = '--config';
export const VERBOSE_FLAG = '--verbose';

/** All flags an entry answers to. */
export function allFlags(entry: CliEntry): string[] {
  return [...entry.flags, ...entry.hiddenFlags, ...(entry.negFlag ? [entry.negFlag] : [])];
}

/** Entries a parser accepts: the top level's, plus (for a subcommand) its own; top-level flags work anywhere. */
export function entriesFor(model: CliModel, subcommand: string | undefined): CliEntry[] {
  return model.entries.filter((e) => e.top || (subcommand !== undefined && e.subcommands.includes(subcommand)));
}

/** The positionals a parser fills, in order: the top level's own, or (for a subcommand) that subcommand's. */
export function positionalsFor(model: CliModel, subcommand: string | undefined): CliEntry[] {
  return model.entries.filter((e) => e.positional && (subcommand === undefined ? e.top : e.subcommands.includes(subcommand)));
}

/** Fails on a flag claimed twice in one parser, or a list positional that is not the last one. */
export function checkFlags(model: CliModel): void {
  const reserved = [
    ...HELP_FLAGS, ...(model.versionFlag ? [VERSION_FLAG] : []), ...(model.builtinConfigFlag ? [CONFIG_FLAG] : []),
    ...(model.builtinVerboseFlag ? [VERBOSE_FLAG] : []),
  ];
  for (const sub of [undefined, ...model.subcommands.map((s) => s.name)]) {
    const owners = new Map<string, string>(reserved.map((f) => [f.replace(/^--?/, ''), `tspop (${f})`]));
    for (const entry of entriesFor(model, sub)) {
      if (entry.positional) continue;
      const owner = `${entry.project} CLI_CONFIG.${entry.key}`;
      for (const flag of allFlags(entry)) {
        // `-k` and `--k` would read as one option in help and errors, so they clash too
        const name = flag.replace(/^--?/, '');
        const seen = owners.get(name);
        if (seen !== undefined && seen !== owner) {
          throw configError(ConfigDefinitionError, `flag ${flag} of ${model.name} is claimed by both ${seen} and ${owner}`);
        }
        owners.set(name, owner);
      }
    }
    const positionals = positionalsFor(model, sub);
    positionals.slice(0, -1).forEach((e) => {
      if (isListNargs(e.nargs)) {
        throw configError(ConfigDefinitionError, `${e.project} CLI_CONFIG.${e.key}: only the last positional can take a list (nargs)`);
      }
    });
  }
}
