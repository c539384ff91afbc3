/**
 * hub.pop.config — builds hub.OPT from every project's CONFIG / CLI_CONFIG (pop-config semantics).
 */
import { realHub } from '../real-hub.ts';
import { ownModule } from '../own-module.ts';
import { OPT_SLOT } from '../meta.ts';
import { safeOpt } from '../safe-opt.ts';
import { dyneScannerOf } from '../core-services.ts';
import type { Hub } from '../types.ts';
import { redactKnown } from '../redact.ts';
import { TspopError, describeError } from '../errors.ts';
import type { BrokenConf } from '../dyne-scanner.ts';

const REPORTED = new WeakSet<BrokenConf>();

/**
 * A live source of option values layered between the config file and the environment (a `KVStore` is one).
 * Its values are shaped like a config file: `{ namespace: { option: value } }`.
 */
export interface ConfigKvSource {
  /** The current values (after the source's first load). */
  getDict(): Promise<Readonly<Record<string, unknown>>>;
  /** `first: true` runs `listener` before the source's other listeners, so they see the rebuilt hub.OPT. */
  onReload(listener: (old: unknown, current: Readonly<Record<string, unknown>>) => unknown, options?: { first?: boolean }): void;
  removeOnReload(listener: (old: unknown, current: Readonly<Record<string, unknown>>) => unknown): void;
}

export interface ConfigLoadOptions {
  /** Parse this CLI's flags (a project name, or a name other projects add flags to). */
  cli?: string;
  /** Command-line arguments without node and the script (default `process.argv.slice(2)` when `cli` is set). */
  argv?: readonly string[];
  /** Environment to read `os` variables from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Shown by --version. */
  version?: string;
  /** The command's name in usage lines (default `cli`): an alias bin shows the name it was run by. */
  programName?: string;
  /** Accept `--verbose` everywhere on the CLI (runCli prints stack traces with it) unless a conf defines it. */
  verboseFlag?: boolean;
  /**
   * Layer a kv store's values between the config file and the environment. When the store reloads, hub.OPT is
   * built again (same argv and env) before the store's onReload callbacks run; a reload whose values do not fit
   * the options is logged and the previous hub.OPT kept.
   */
  kv?: ConfigKvSource;
}

export interface ConfigLoadResult {
  /** The chosen subcommand (pop-config's hub.SUBPARSER). */
  readonly subcommand: string | undefined;
  /** Set when --help was given: print it and exit 0. */
  readonly help: string | undefined;
  /** Set when --version was given. */
  readonly version: string | undefined;
  /** `text` with the values of secret options (flags, env, config file) and key-like words masked: for messages. */
  readonly redact: (text: string) => string;
}

/** The kv listener of the last load() per hub, so a second load() replaces it instead of adding one. */
const KV_LISTENERS = new WeakMap<object, { source: ConfigKvSource; listener: (old: unknown, current: Readonly<Record<string, unknown>>) => void }>();

/** Builds and freezes hub.OPT for `names` (projects or dynes): defaults < config file < kv store < env < CLI flags. */
export async function load(hub: Hub, names: readonly string[], options: ConfigLoadOptions = {}): Promise<ConfigLoadResult> {
  const real = realHub(hub);
  // loaded on demand: a hub that never parses options never pays for the parser and yaml
  const { buildOptions } = await ownModule(import.meta.url, '../config/build-options', () => import('../config/build-options.ts'));
  const scanner = dyneScannerOf(real);
  const projects = await scanner.projects();
  const broken = scanner.broken?.() ?? [];
  const argv = options.argv ?? (options.cli ? process.argv.slice(2) : []);
  const input = { names, cli: options.cli, argv, env: options.env ?? process.env, projects, version: options.version, verboseFlag: options.verboseFlag, programName: options.programName };
  const kv = options.kv;
  const kvValues = kv ? await kv.getDict() : undefined;
  let result;
  try {
    result = buildOptions({ ...input, kv: kvValues });
  } catch (err) {
    // the CLI is not defined because its project's conf is the broken one: that is the one thing to say
    if (broken.length > 0 && TspopError.is(err) && err.code === 'TSPOP_ERR_CONFIG_DEFINITION') throw broken[0]!.error;
    throw err;
  }
  // everything else keeps working without the broken conf (--help, --version, tspop's own bins): say so once
  for (const b of broken) if (!REPORTED.has(b)) {
    REPORTED.add(b);
    real.log.warn(`${describeError(b.error)}; that project's options, subcommands and dynes are left out`);
  }
  real[OPT_SLOT] = safeOpt(result.opt);
  Object.defineProperty(real, 'SUBPARSER', { value: result.subcommand, configurable: true, enumerable: false });
  const previous = KV_LISTENERS.get(real);
  if (previous) previous.source.removeOnReload(previous.listener);
  KV_LISTENERS.delete(real);
  if (kv && result.help === undefined && result.version === undefined) {
    const listener = (_old: unknown, current: Readonly<Record<string, unknown>>): void => {
      try {
        real[OPT_SLOT] = safeOpt(buildOptions({ ...input, kv: current }).opt);
      } catch (err) {
        real.log.error(`config: the kv store's new values do not fit the options; hub.OPT is unchanged: ${describeError(err, { redact: true })}`);
      }
    };
    kv.onReload(listener, { first: true });
    KV_LISTENERS.set(real, { source: kv, listener });
  }
  const secrets = result.secrets;
  return { subcommand: result.subcommand, help: result.help, version: result.version, redact: (text) => redactKnown(text, secrets) };
}
