import type { Command } from 'commander';
import { commander } from './commander.ts';
import { CONFIG_FLAG, VERBOSE_FLAG, VERSION_FLAG, allFlags, entriesFor } from './check-flags.ts';
import { isListNargs, type CliEntry, type CliModel } from './option-spec.ts';

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

/**
 * A commander program for the CLI model that records into `capture` instead of acting: options are read from
 * commander's `option:<name>` events (in command-line order, aliases included), positionals in the action.
 * Commander's help, exits and output are switched off; errors are thrown as CommanderError.
 */
export function commanderProgram(model: CliModel, programName: string, capture: ArgvCapture): Command {
  const root = new commander.Command(programName)
    .helpOption(false)
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .allowUnknownOption(false)
    .allowExcessArguments(false)
    .showSuggestionAfterError(false);
  root.hook('preSubcommand', (_root, sub) => {
    capture.subcommand = sub.name();
  });
  configure(root, model, undefined, capture);
  for (const sub of model.subcommands) configure(root.command(sub.name), model, sub.name, capture);
  return root;
}

function configure(cmd: Command, model: CliModel, sub: string | undefined, capture: ArgvCapture): void {
  for (const entry of entriesFor(model, sub)) {
    if (entry.positional) continue;
    for (const flag of allFlags(entry)) {
      const neg = flag === entry.negFlag;
      const option = new commander.Option(entry.switch ? flag : `${flag} ${metavar(entry)}`);
      cmd.addOption(option);
      cmd.on(`option:${option.name()}`, (value?: string | null) => {
        const events = capture.flags.get(entry) ?? [];
        events.push({ neg, value });
        capture.flags.set(entry, events);
      });
    }
  }
  if (model.builtinConfigFlag) {
    cmd.addOption(new commander.Option(`${CONFIG_FLAG} <path>`));
    cmd.on('option:config', (value: string) => {
      capture.configPath = value;
    });
  }
  // read by the runner from argv (it must work even when parsing fails), so only accepted here
  if (model.builtinVerboseFlag) cmd.addOption(new commander.Option(VERBOSE_FLAG));
  if (model.versionFlag && sub === undefined) {
    cmd.addOption(new commander.Option(VERSION_FLAG));
    cmd.on('option:version', () => {
      capture.version = true;
    });
  }
  const positionals = model.entries.filter((e) => e.positional && (sub === undefined ? e.top : e.subcommands.includes(sub)));
  for (const entry of positionals) cmd.argument(argumentSpec(entry));
  cmd.action(() => {
    positionals.forEach((entry, i) => {
      const value = cmd.processedArgs[i] as string | string[] | undefined;
      if (value !== undefined) capture.positionals.set(entry, value);
    });
  });
}

function metavar(entry: CliEntry): string {
  const name = entry.key;
  if (entry.nargs === '?') return `[${name}]`;
  if (entry.nargs === '*') return `[${name}...]`;
  if (isListNargs(entry.nargs)) return `<${name}...>`;
  return `<${name}>`;
}

/** Positionals are required unless `nargs` is `?`/`*` or they have a default. */
export function positionalRequired(entry: CliEntry): boolean {
  return entry.nargs !== '?' && entry.nargs !== '*' && !entry.spec.hasDefault;
}

function argumentSpec(entry: CliEntry): string {
  const name = `${entry.key}${isListNargs(entry.nargs) ? '...' : ''}`;
  return positionalRequired(entry) ? `<${name}>` : `[${name}]`;
}
