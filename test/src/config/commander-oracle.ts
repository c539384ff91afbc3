/**
 * The argv parser tspop used up to 0.1: commander 14 driven by the CLI model, kept as a test oracle only (a
 * devDependency, as npm `fernet` is for acct). parse-argv.test.ts checks that tspop's own parser reads every
 * command line the same way, so CLIs built on tspop keep their behaviour.
 */
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FLAG, VERBOSE_FLAG, VERSION_FLAG, allFlags, entriesFor, positionalsFor } from '../../../src/config/check-flags.ts';
import { emptyCapture, positionalRequired, type ArgvCapture } from '../../../src/config/argv-capture.ts';
import { isListNargs, type CliEntry, type CliModel } from '../../../src/config/option-spec.ts';

/** What commander made of argv: the capture, or the error's kind and the word it names. */
export type OracleResult =
  | { readonly ok: true; readonly capture: ArgvCapture }
  | { readonly ok: false; readonly code: string; readonly word: string; readonly subcommand: string | undefined; readonly extra?: string };

export function commanderParse(model: CliModel, argv: readonly string[]): OracleResult {
  const capture = emptyCapture();
  const root = program(model, capture);
  try {
    root.parse([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    const word = /'([^']*)'/.exec(err.message)?.[1] ?? '';
    const cmd = root.commands.find((c) => c.name() === capture.subcommand) ?? root;
    const extra = err.code === 'commander.excessArguments' ? cmd.args[cmd.registeredArguments.length] : undefined;
    return { ok: false, code: err.code, word, subcommand: capture.subcommand, extra };
  }
  return { ok: true, capture };
}

function program(model: CliModel, capture: ArgvCapture): Command {
  const root = new Command(model.name)
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
      const option = new Option(entry.switch ? flag : `${flag} ${metavar(entry)}`);
      cmd.addOption(option);
      cmd.on(`option:${option.name()}`, (value?: string | null) => {
        const events = capture.flags.get(entry) ?? [];
        events.push({ neg, value });
        capture.flags.set(entry, events);
      });
    }
  }
  if (model.builtinConfigFlag) {
    cmd.addOption(new Option(`${CONFIG_FLAG} <path>`));
    cmd.on('option:config', (value: string) => {
      capture.configPath = value;
    });
  }
  if (model.builtinVerboseFlag) cmd.addOption(new Option(VERBOSE_FLAG));
  if (model.versionFlag && sub === undefined) {
    cmd.addOption(new Option(VERSION_FLAG));
    cmd.on('option:version', () => {
      capture.version = true;
    });
  }
  const positionals = positionalsFor(model, sub);
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

function argumentSpec(entry: CliEntry): string {
  const name = `${entry.key}${isListNargs(entry.nargs) ? '...' : ''}`;
  return positionalRequired(entry) ? `<${name}>` : `[${name}]`;
}
