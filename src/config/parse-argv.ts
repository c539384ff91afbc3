import { ConfigMissingError, ConfigUnknownFlagError, ConfigUsageError } from '../errors.ts';
import { CONFIG_FLAG, HELP_FLAGS, VERSION_FLAG, allFlags, entriesFor } from './check-flags.ts';
import { closest } from './closest.ts';
import { KEY_LIKE_WORD, showWord } from './option-label.ts';
import { looksSecret } from '../redact.ts';
import { emptyCapture, positionalRequired, type ArgvCapture } from './argv-capture.ts';
import { parserLevel, type FlagDef, type ParserLevel } from './parser-level.ts';
import { configError, type ConfigError } from './config-error.ts';
import { isListNargs, type CliModel } from './option-spec.ts';

/**
 * Reads `argv` against the CLI model the way commander reads a program (the parser tspop used before, whose
 * behaviour CLIs built on it keep): flags anywhere, the top level's flags also after the subcommand, `--flag=v`,
 * `-kVALUE`, `-abc` groups, optional and list values, negative numbers as values, `--` ending the flags. Throws
 * coded config errors that never quote a value.
 */
export function parseArgv(model: CliModel, argv: readonly string[]): ArgvCapture {
  const capture = emptyCapture();
  const root = parserLevel(model, undefined);
  const top = splitFlags(root, argv, capture);
  const name = top.operands[0];
  if (name === undefined || !model.subcommands.some((s) => s.name === name)) {
    finish(model, root, top.operands, top.unknown, capture);
    return capture;
  }
  capture.subcommand = name;
  const level = parserLevel(model, name);
  // what the top level could not place (from its first unknown flag on) is read again by the subcommand
  const rest = splitFlags(level, top.unknown, capture);
  finish(model, level, [...top.operands.slice(1), ...rest.operands], rest.unknown, capture);
  return capture;
}

interface Split {
  /** Words that are not flags nor flag values. */
  readonly operands: string[];
  /** The first flag this level does not know, and every word after it that is not one of its own flags. */
  readonly unknown: string[];
}

const looksLikeFlag = (word: string) => word.length > 1 && word[0] === '-';
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;
const LONG_WITH_VALUE = /^--[^=]+=/;

/** One pass over `args`: records this level's flags into `capture` and splits the rest. */
function splitFlags(level: ParserLevel, args: readonly string[], capture: ArgvCapture): Split {
  const operands: string[] = [];
  const unknown: string[] = [];
  let dest = operands;
  const negativeNumber = (word: string) => !level.digitFlag && NEGATIVE_NUMBER.test(word);
  let variadic: FlagDef | undefined;
  let group: string | undefined;
  let i = 0;
  while (i < args.length || group !== undefined) {
    const word = group ?? args[i++]!;
    group = undefined;
    if (word === '--') {
      if (dest === unknown) dest.push(word);
      dest.push(...args.slice(i));
      break;
    }
    if (variadic && (!looksLikeFlag(word) || negativeNumber(word))) {
      record(variadic, word, capture);
      continue;
    }
    variadic = undefined;
    const def = looksLikeFlag(word) ? level.flags.get(word) : undefined;
    if (def) {
      if (def.arity === 'required') {
        if (i >= args.length) throw configError(ConfigMissingError, `option ${def.flag}: missing value`);
        record(def, args[i++]!, capture);
      } else if (def.arity === 'optional') {
        const next = args[i];
        const takes = next !== undefined && (!looksLikeFlag(next) || negativeNumber(next));
        if (takes) i++;
        record(def, takes ? next : null, capture);
      } else record(def, undefined, capture);
      if (def.variadic) variadic = def;
      continue;
    }
    // `-kVALUE`, or a group of switches `-abc`
    const short = word.length > 2 && word[0] === '-' && word[1] !== '-' ? level.flags.get(word.slice(0, 2)) : undefined;
    if (short) {
      if (short.arity === 'none') {
        record(short, undefined, capture);
        group = `-${word.slice(2)}`;
      } else record(short, word.slice(2), capture);
      continue;
    }
    if (LONG_WITH_VALUE.test(word)) {
      const eq = word.indexOf('=');
      const long = level.flags.get(word.slice(0, eq));
      if (long && long.arity !== 'none') {
        record(long, word.slice(eq + 1), capture);
        continue;
      }
    }
    // a negative number is a value in a level without subcommands, else an unknown flag
    if (dest === operands && looksLikeFlag(word) && !(!level.hasSubcommands && negativeNumber(word))) dest = unknown;
    dest.push(word);
  }
  return { operands, unknown };
}

function record(def: FlagDef, value: string | null | undefined, capture: ArgvCapture): void {
  const target = def.target;
  if (target.kind === 'config') capture.configPath = value ?? undefined;
  else if (target.kind === 'version') capture.version = true;
  else if (target.kind === 'entry') {
    const events = capture.flags.get(target.entry);
    const event = { neg: target.neg, value };
    if (events) events.push(event);
    else capture.flags.set(target.entry, [event]);
  }
}

/** The level's verdict on what is left: no unknown flag, every required positional, nothing extra. */
function finish(model: CliModel, level: ParserLevel, operands: readonly string[], unknown: readonly string[], capture: ArgvCapture): void {
  if (unknown.length > 0) throw unknownFlag(flagOnly(unknown[0]!), model, level.subcommand);
  const { positionals } = level;
  positionals.forEach((entry, i) => {
    if (positionalRequired(entry) && operands[i] === undefined) {
      throw configError(ConfigMissingError, `argument <${entry.key}>: missing (required)`);
    }
  });
  const last = positionals[positionals.length - 1];
  const takesRest = last !== undefined && isListNargs(last.nargs);
  if (!takesRest && operands.length > positionals.length) throw excessArgument(model, level, operands[positionals.length]!);
  positionals.forEach((entry, i) => {
    if (entry === last && takesRest) capture.positionals.set(entry, operands.slice(i));
    else if (i < operands.length) capture.positionals.set(entry, operands[i]!);
  });
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

function excessArgument(model: CliModel, level: ParserLevel, extra: string): ConfigError {
  if (level.subcommand === undefined && level.positionals.length === 0 && model.subcommands.length > 0) {
    const names = model.subcommands.map((s) => s.name);
    const hint = closest(extra, names);
    const suggest = hint ? `did you mean ${hint}? ` : '';
    return configError(ConfigUsageError, `unknown subcommand ${showWord(extra)} (${suggest}choose from: ${names.join(', ')})`);
  }
  const sub = level.subcommand;
  return configError(ConfigUsageError, `unexpected argument ${showWord(extra)}${sub ? ` for subcommand ${sub}` : ''}`);
}
