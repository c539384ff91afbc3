import { ConfigDefinitionError } from '../errors.ts';
import type { CliOption, ConfigOption, OptionType } from '../conf-types.ts';

/** One option as it lands in `opt[ns][key]`, with its CONFIG definition (and CLI overrides when on the CLI). */
export interface OptionSpec {
  /** `${ns}.${key}`: the identity of the value. */
  readonly id: string;
  readonly ns: string;
  readonly key: string;
  /** Project whose CONFIG (or, for a CLI-only option, CLI_CONFIG) defines it. */
  readonly project: string;
  /** Declared or inferred from the default; undefined when neither says (values are kept as given). */
  readonly type: OptionType | undefined;
  /** The value is a list: `type: 'array'`, a list `nargs` or `action: 'append'`. */
  readonly list: boolean;
  /** Type of each list element; undefined: any. */
  readonly elemType: OptionType | undefined;
  /** Environment variable (pop's `os`, upper-cased as pop-config does). */
  readonly env: string | undefined;
  readonly hasDefault: boolean;
  readonly default: unknown;
  readonly choices: readonly unknown[] | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly secret: boolean;
  readonly help: string | undefined;
  /** Primary flag (`--acct-key`) or `<key>` for a positional, when the option is on the CLI being parsed. */
  readonly flag: string | undefined;
}

/** A CLI_CONFIG entry placed on the CLI being parsed. */
export interface CliEntry {
  /** Project whose CLI_CONFIG holds the entry. */
  readonly project: string;
  readonly key: string;
  /** The target option, merged with this entry's help/default/type/choices/nargs/action. */
  readonly spec: OptionSpec;
  /** Shown flags: `--key-with-dashes` first, then `options` aliases. Empty for a positional. */
  readonly flags: readonly string[];
  /** Accepted but not shown: `--key_with_underscores`. */
  readonly hiddenFlags: readonly string[];
  /** `--no-key` for boolean switches. */
  readonly negFlag: string | undefined;
  readonly positional: boolean;
  /** A flag without a value: store_true/store_false/count or a boolean option. */
  readonly switch: boolean;
  readonly nargs: CliOption['nargs'];
  readonly action: CliOption['action'];
  /** On the top-level parser. */
  readonly top: boolean;
  /** On these subcommands. */
  readonly subcommands: readonly string[];
  readonly group: string | undefined;
}

export interface SubcommandSpec {
  readonly name: string;
  readonly project: string;
  readonly help: string | undefined;
  readonly desc: string | undefined;
}

export interface CliModel {
  readonly name: string;
  readonly entries: readonly CliEntry[];
  readonly subcommands: readonly SubcommandSpec[];
  /** No CLI_CONFIG `config` entry: tspop adds `--config <path>` itself. */
  readonly builtinConfigFlag: boolean;
  /** `--version` is available. */
  readonly versionFlag: boolean;
  /** No CLI_CONFIG `verbose` entry and the runner asked for one: tspop adds `--verbose` itself (runCli prints stacks). */
  readonly builtinVerboseFlag: boolean;
  /** The project whose CLI this is (named like it, else the first that adds flags or subcommands to it). */
  readonly owner: string | undefined;
}

export interface ConfigModel {
  /** Namespaces built: the requested names, then any namespace a CLI flag writes to. */
  readonly namespaces: readonly string[];
  /** Every option of those namespaces (merged with its first CLI entry when on the CLI). */
  readonly options: readonly OptionSpec[];
  readonly cli: CliModel | undefined;
}

/** The type a default implies (pop-config passes `type(default)` to argparse). */
export function inferType(value: unknown): OptionType | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && value !== null) return 'object';
  return undefined;
}

const LIST_NARGS = new Set<unknown>(['*', '+']);

/** True when `nargs` makes a list (argparse: `?` is a single optional value). */
export function isListNargs(nargs: CliOption['nargs']): boolean {
  return LIST_NARGS.has(nargs) || typeof nargs === 'number';
}

/** pop-config's `os`: a variable name, or `true` for one named after the option key (upper-cased, as pop does). */
function envName(project: string, key: string, os: unknown): string | undefined {
  if (os === undefined || os === false || os === null) return undefined;
  if (os === true) return key.toUpperCase();
  if (typeof os === 'string' && os !== '') return os.toUpperCase();
  throw new ConfigDefinitionError(`${project}: CONFIG.${key}.os must be an environment variable name or true`);
}

/** Builds the spec of a CONFIG entry (or of a CLI-only entry, passing its CLI_CONFIG fields as `def`). */
export function makeSpec(project: string, ns: string, key: string, def: ConfigOption): OptionSpec {
  const hasDefault = 'default' in def && def.default !== undefined;
  const type = def.type ?? inferType(def.default);
  return {
    id: `${ns}.${key}`,
    ns,
    key,
    project,
    type,
    list: type === 'array',
    elemType: type === 'array' ? undefined : type,
    env: envName(project, key, def.os),
    hasDefault,
    default: def.default,
    choices: def.choices,
    min: def.min,
    max: def.max,
    secret: def.secret === true,
    help: def.help,
    flag: undefined,
  };
}

/** CLI_CONFIG fields override CONFIG ones for display and parsing (pop-config merges them the same way). */
export function mergeCli(base: OptionSpec, cli: CliOption, flag: string): OptionSpec {
  const hasCliDefault = 'default' in cli && cli.default !== undefined;
  let def = hasCliDefault ? cli.default : base.default;
  let hasDefault = base.hasDefault || hasCliDefault;
  // argparse: a store_true flag defaults to false, store_false to true
  if (!hasDefault && (cli.action === 'store_true' || cli.action === 'store_false')) {
    def = cli.action === 'store_false';
    hasDefault = true;
  }
  let type = cli.type ?? (hasCliDefault ? inferType(cli.default) : undefined) ?? base.type;
  if (cli.action === 'store_true' || cli.action === 'store_false') type = 'boolean';
  if (cli.action === 'count') type = 'integer';
  const list = type === 'array' || cli.action === 'append' || isListNargs(cli.nargs);
  return {
    ...base,
    type,
    list,
    elemType: type === 'array' ? undefined : type,
    hasDefault,
    default: def,
    choices: cli.choices ?? base.choices,
    help: cli.help ?? base.help,
    flag,
  };
}
