import type { Project } from '../conf-types.ts';
import { cliValues, type GivenValue } from './cli-values.ts';
import { collectOptions } from './collect-options.ts';
import { findConfigPath, type ConfigPath } from './config-path.ts';
import { envValues } from './env-values.ts';
import { fileValues, kvValues } from './file-values.ts';
import { formatHelp } from './format-help.ts';
import { helpRequest } from './help-request.ts';
import type { ConfigModel, OptionSpec } from './option-spec.ts';
import { secretArgs, secretValues } from './secret-args.ts';
import { redactKnown } from '../redact.ts';
import { defaultState, setValue, type OptState, type ValueSource } from './opt-state.ts';
import { parseArgv } from './parse-argv.ts';
import { readConfigFile } from './read-config-file.ts';

export type { ValueSource } from './opt-state.ts';

export interface BuildOptionsInput {
  /** Names whose options to build, e.g. ['my_project', 'evbus', 'acct']: each a project or a dyne name. */
  names: readonly string[];
  /** Which CLI's flags to parse (a project, or a name others add flags to via CLI_CONFIG.dyne); omit: no CLI. */
  cli?: string;
  /** Without node and script; default `process.argv.slice(2)` (only read when `cli` is set). */
  argv?: readonly string[];
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Every discovered project (host, tspop, deps). */
  projects: readonly Project[];
  /** For usage/help; default `cli`. */
  programName?: string;
  /** Enables `--version`. */
  version?: string;
  /** Accept `--verbose` on every (sub)command unless a conf defines it (the runner reads it). */
  verboseFlag?: boolean;
  /** Values from a kv store, shaped like a config file (`{ namespace: { option: value } }`): between file and env. */
  kv?: Readonly<Record<string, unknown>>;
}

export interface BuildOptionsResult {
  /** `opt[namespace][key]`; not frozen (the caller freezes). */
  opt: Record<string, Record<string, unknown>>;
  /** The chosen subcommand (pop-config's `hub.SUBPARSER`). */
  subcommand: string | undefined;
  /** Set when -h/--help was given: the full help text. The caller prints it and exits 0. */
  help: string | undefined;
  /** Set when --version was given: `input.version`. The caller prints it and exits 0. */
  version: string | undefined;
  /** Where each value of `opt` came from. */
  sources: Record<string, Record<string, ValueSource>>;
  /**
   * The values of secret options (from flags, env, config file): a caller that prints messages masks them
   * (redactKnown). Not enumerable, so logging or spreading a result does not carry them.
   */
  readonly secrets: readonly string[];
}

/**
 * Builds the option values of `names`, as pop-config does: defaults < config file < kv store (`input.kv`) <
 * env vars < flags given on the command line. Pure: no printing, no exiting; config problems throw errors with `exitCode = 2`.
 * With --help or --version only defaults are filled in, since the caller exits anyway.
 */
export function buildOptions(input: BuildOptionsInput): BuildOptionsResult {
  const model = collectOptions({
    names: input.names,
    projects: input.projects,
    cli: input.cli,
    versionFlag: input.version !== undefined,
    verboseFlag: input.verboseFlag,
  });
  const state = defaultState(model.namespaces, model.options);
  const env = input.env ?? process.env;

  // every value given for a secret option, known before parsing, so that no message built below can show one
  const argv = input.argv ?? process.argv.slice(2);
  const given = [
    ...(model.cli ? secretArgs(model.cli, argv) : []),
    ...model.options.filter((s) => s.secret && s.env !== undefined).map((s) => env[s.env as string] ?? ''),
  ].filter((v) => v !== '');
  try {
    const result = build(input, model, state, env, argv);
    return withSecrets(result, [...new Set([...given, ...secretValues(model.options, result.opt)])]);
  } catch (err) {
    if (err instanceof Error) err.message = redactKnown(err.message, given);
    throw err;
  }
}

function build(input: BuildOptionsInput, model: ConfigModel, state: OptState, env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): BuildOptionsResult {
  const done = (extra: Partial<BuildOptionsResult> = {}): BuildOptionsResult =>
    withSecrets({ ...state, subcommand: undefined, help: undefined, version: undefined, ...extra }, []);
  const cli = model.cli;
  if (!cli) {
    const fromEnv = envValues(model.options, env, new Set());
    const config = findConfigPath(undefined, new Map(), fromEnv, model.options, model.namespaces);
    layer(state, model.options, config, input.kv, fromEnv, new Map());
    return done();
  }

  const programName = input.programName ?? cli.name;
  const wantsHelp = helpRequest(cli, argv);
  if (wantsHelp) {
    return done({ subcommand: wantsHelp.subcommand, help: formatHelp(model, cli, programName, wantsHelp.subcommand, input.names) });
  }
  const capture = parseArgv(cli, argv);
  if (capture.version) return done({ subcommand: capture.subcommand, version: input.version });

  const fromCli = cliValues(capture);
  const fromEnv = envValues(model.options, env, new Set(fromCli.keys()));
  const nsOrder = [cli.name, ...model.namespaces];
  const config = findConfigPath(capture.configPath, fromCli, fromEnv, model.options, nsOrder);
  layer(state, model.options, config, input.kv, fromEnv, fromCli);
  return done({ subcommand: capture.subcommand });
}

function withSecrets(result: Omit<BuildOptionsResult, 'secrets'> & { secrets?: unknown }, secrets: readonly string[]): BuildOptionsResult {
  Object.defineProperty(result, 'secrets', { value: Object.freeze([...secrets]), enumerable: false, configurable: true });
  return result as BuildOptionsResult;
}

/** Applies the config file, then the kv store, then env, then command line over the defaults already in `state`. */
function layer(
  state: OptState,
  options: readonly OptionSpec[],
  config: ConfigPath | undefined,
  kv: Readonly<Record<string, unknown>> | undefined,
  fromEnv: ReadonlyMap<string, GivenValue>,
  fromCli: ReadonlyMap<string, GivenValue>,
): void {
  const data = config ? readConfigFile(config.path, !config.explicit) : undefined;
  const apply = (values: Iterable<GivenValue>, source: ValueSource): void => {
    for (const { spec, value } of values) setValue(state, spec, value, source);
  };
  if (data && config) apply(fileValues(data, config.path, options), 'file');
  if (kv) apply(kvValues(kv, options), 'kv');
  apply(fromEnv.values(), 'env');
  apply(fromCli.values(), 'cli');
}
