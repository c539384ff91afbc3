import type { Command, CommanderError } from 'commander';
import { commander } from './commander.ts';
import { ConfigDefinitionError, ConfigMissingError, ConfigUnknownFlagError, ConfigUsageError } from '../errors.ts';
import { CONFIG_FLAG, HELP_FLAGS, VERSION_FLAG, allFlags, entriesFor } from './check-flags.ts';
import { closest } from './closest.ts';
import { KEY_LIKE_WORD, showWord } from './option-label.ts';
import { looksSecret } from '../redact.ts';
import { commanderProgram, emptyCapture, type ArgvCapture } from './commander-program.ts';
import { configError, type ConfigError } from './config-error.ts';
import type { CliModel } from './option-spec.ts';

/** Parses `argv` with commander against the CLI model; commander's errors become coded config errors. */
export function parseArgv(model: CliModel, argv: readonly string[], programName: string): ArgvCapture {
  const capture = emptyCapture();
  let program: Command;
  try {
    program = commanderProgram(model, programName, capture);
  } catch (cause) {
    throw configError(ConfigDefinitionError, `cli ${model.name}: ${(cause as Error).message}`, cause);
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof commander.CommanderError) throw fromCommander(err, model, program, capture.subcommand);
    throw err;
  }
  return capture;
}

function fromCommander(err: CommanderError, model: CliModel, program: Command, sub: string | undefined): ConfigError {
  const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'commander.unknownOption':
      return unknownFlag(flagOnly(quoted), model, sub);
    case 'commander.optionMissingArgument':
      return configError(ConfigMissingError, `option ${quoted.split(' ')[0]}: missing value`);
    case 'commander.missingArgument':
      return configError(ConfigMissingError, `argument <${quoted.replace(/\.\.\.$/, '')}>: missing (required)`);
    case 'commander.excessArguments':
      return excessArgument(model, program, sub);
    default:
      return configError(ConfigUsageError, err.message.split('\n')[0]!.replace(/^error: /, ''), err);
  }
}

/** The flag part of an unknown argument, never the value glued to it (`--key=VALUE`, `-kVALUE`). */
function flagOnly(arg: string): string {
  const flag = /^-[^-]/.test(arg) ? arg.slice(0, 2) : arg.replace(/=.*$/s, '');
  // a url-safe key may itself start with `--`
  return looksSecret(flag) ? KEY_LIKE_WORD : flag;
}

function unknownFlag(flag: string, model: CliModel, sub: string | undefined): ConfigError {
  const elsewhere = model.entries.filter((e) => allFlags(e).includes(flag));
  if (elsewhere.length > 0) {
    const where = [...new Set(elsewhere.flatMap((e) => [...(e.top ? ['the top level'] : []), ...e.subcommands]))];
    const here = sub === undefined ? 'the top level' : `subcommand ${sub}`;
    return configError(ConfigUnknownFlagError, `option ${flag} is not available on ${here} (only on: ${where.join(', ')})`);
  }
  const known = [
    ...entriesFor(model, sub).flatMap((e) => [...e.flags, ...(e.negFlag ? [e.negFlag] : [])]),
    ...HELP_FLAGS,
    ...(model.versionFlag ? [VERSION_FLAG] : []),
    ...(model.builtinConfigFlag ? [CONFIG_FLAG] : []),
  ].filter((f) => f.startsWith('--'));
  // any one-letter flag is "close" to any other, so only long flags get a suggestion
  const hint = flag.startsWith('--') ? closest(flag, known) : undefined;
  return configError(ConfigUnknownFlagError, `unknown option ${flag}${hint ? ` (did you mean ${hint}?)` : ''}`);
}

function excessArgument(model: CliModel, program: Command, sub: string | undefined): ConfigError {
  const cmd = sub === undefined ? program : program.commands.find((c) => c.name() === sub) ?? program;
  const extra = cmd.args[cmd.registeredArguments.length] ?? '';
  if (cmd === program && cmd.registeredArguments.length === 0 && model.subcommands.length > 0) {
    const names = model.subcommands.map((s) => s.name);
    const hint = closest(extra, names);
    const suggest = hint ? `did you mean ${hint}? ` : '';
    return configError(ConfigUsageError, `unknown subcommand ${showWord(extra)} (${suggest}choose from: ${names.join(', ')})`);
  }
  return configError(ConfigUsageError, `unexpected argument ${showWord(extra)}${sub ? ` for subcommand ${sub}` : ''}`);
}
