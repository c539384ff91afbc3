/**
 * The shape of a project's `conf.ts` (pop's conf.py): CONFIG, CLI_CONFIG, SUBCOMMANDS and DYNE.
 * Option keys keep pop-config's names.
 */

export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** An entry of CONFIG: an option that lands in `hub.OPT[<dyne or project>][<key>]`. */
export interface ConfigOption {
  default?: unknown;
  help?: string;
  /** Parse/validate as this type (default: inferred from `default`, else string). */
  type?: OptionType;
  /** Environment variable that sets the option; `true` names it after the key, upper-cased (pop-config). */
  os?: string | boolean;
  /** Land in `hub.OPT[dyne]` instead of `hub.OPT[<project>]`. */
  dyne?: string;
  choices?: readonly unknown[];
  /** Smallest and largest value a number or integer option accepts (checked for flags, env and config file). */
  min?: number;
  max?: number;
  /** Never print the value or default (keys, passwords). */
  secret?: boolean;
}

/** An entry of CLI_CONFIG: puts an option on a command line. The key names the CONFIG option. */
export interface CliOption {
  /** Take the option's definition from this project/dyne's CONFIG; the value lands under it. */
  source?: string;
  /** Add this flag to another CLI (by name), or to several. */
  dyne?: string | readonly string[];
  /** Only on these subcommands (`_` means the top level too). */
  subcommands?: readonly string[];
  /** `*`, `+`, `?` or a count: the option takes a list. */
  nargs?: '*' | '+' | '?' | number;
  positional?: boolean;
  /** Section title in --help. */
  group?: string;
  /** Extra flag spellings, e.g. ['-k']. */
  options?: readonly string[];
  choices?: readonly unknown[];
  help?: string;
  default?: unknown;
  type?: OptionType;
  /** `store_true`/`store_false`, as argparse: a flag without a value. */
  action?: 'store_true' | 'store_false' | 'count' | 'append';
}

export interface SubcommandDef {
  help?: string;
  desc?: string;
  /** Add this subcommand to another CLI (by name), or to several. */
  dyne?: string | readonly string[];
}

export interface ProjectConf {
  readonly CONFIG: Readonly<Record<string, ConfigOption>>;
  readonly CLI_CONFIG: Readonly<Record<string, CliOption>>;
  readonly SUBCOMMANDS: Readonly<Record<string, SubcommandDef>>;
  /** dyne name -> folders, relative to the conf file's folder. */
  readonly DYNE: Readonly<Record<string, readonly string[]>>;
}

/** A project that takes part in the hub: the host, tspop itself, or a dependency declaring `"tspop": {"conf"}`. */
export interface Project {
  /** `package.json` name (folder name when there is none). */
  readonly name: string;
  readonly root: string;
  readonly confPath: string;
  readonly conf: ProjectConf;
}
