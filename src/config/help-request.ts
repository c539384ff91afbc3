import { HELP_FLAGS } from './check-flags.ts';
import type { CliModel } from './option-spec.ts';

export interface HelpRequest {
  /** The subcommand whose help is wanted, if one is named. */
  readonly subcommand: string | undefined;
}

/**
 * `-h`/`--help` anywhere before `--` asks for help, as argparse answers it before complaining about the rest of
 * the line. The subcommand is the first word naming one.
 */
export function helpRequest(cli: CliModel, argv: readonly string[]): HelpRequest | undefined {
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  if (!words.some((w) => (HELP_FLAGS as readonly string[]).includes(w))) return undefined;
  return { subcommand: words.find((w) => cli.subcommands.some((s) => s.name === w)) };
}
