/**
 * hub.pop.config — builds hub.OPT from every project's CONFIG / CLI_CONFIG (pop-config semantics).
 */
import { realHub } from '../hub.ts';
import { OPT_SLOT } from '../meta.ts';
import { safeOpt } from '../safe-opt.ts';
import { DYNE_SCANNER } from '../tokens.ts';
import type { DyneScanner } from '../dyne-scanner.ts';
import type { Hub } from '../types.ts';
import { redactKnown } from '../redact.ts';

export interface ConfigLoadOptions {
  /** Parse this CLI's flags (a project name, or a name other projects add flags to). */
  cli?: string;
  /** Command-line arguments without node and the script (default `process.argv.slice(2)` when `cli` is set). */
  argv?: readonly string[];
  /** Environment to read `os` variables from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Shown by --version. */
  version?: string;
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

/** Builds and freezes hub.OPT for `names` (projects or dynes): defaults < config file < env < CLI flags. */
export async function load(hub: Hub, names: readonly string[], options: ConfigLoadOptions = {}): Promise<ConfigLoadResult> {
  const real = realHub(hub);
  // loaded on demand: a hub that never parses options never pays for commander and yaml
  const { buildOptions } = await import('../config/build-options.ts');
  const projects = await real.container.resolve<DyneScanner>(DYNE_SCANNER).projects();
  const argv = options.argv ?? (options.cli ? process.argv.slice(2) : []);
  const result = buildOptions({ names, cli: options.cli, argv, env: options.env ?? process.env, projects, version: options.version });
  real[OPT_SLOT] = safeOpt(result.opt);
  Object.defineProperty(real, 'SUBPARSER', { value: result.subcommand, configurable: true, enumerable: false });
  const secrets = result.secrets;
  return { subcommand: result.subcommand, help: result.help, version: result.version, redact: (text) => redactKnown(text, secrets) };
}
