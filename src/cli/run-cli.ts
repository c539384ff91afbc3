import { EventEmitter } from 'node:events';
import { Hub } from '../hub.ts';
import { TspopError } from '../errors.ts';
import { createConsoleLogger } from '../logger.ts';
import { packageVersion } from './package-version.ts';
import { redactKnown, redactUrls } from '../redact.ts';
import type { Hub as HubType } from '../types.ts';

export interface CliContext {
  readonly hub: HubType;
  /** The chosen subcommand, if the CLI has subcommands. */
  readonly subcommand: string | undefined;
  /** Aborted on the first SIGINT/SIGTERM, or when stdout's reader went away: stop taking work, drain, return. */
  readonly signal: AbortSignal;
}

export interface CliSpec {
  /** CLI name as in conf CLI_CONFIG (`dyne`) and in messages. */
  readonly name: string;
  /** The name it was run by, for usage lines and messages, when an alias bin differs from `name`. */
  readonly programName?: string;
  /** Projects/dynes whose options to build into hub.OPT. */
  readonly config: readonly string[];
  /** Printed by `--version` (default: the `version` of the host root's package.json; none: no --version). */
  readonly version?: string;
  /** Host root (default: cwd). */
  readonly root?: string;
  readonly argv?: readonly string[];
  /** Returns the exit code (default 0). */
  main(ctx: CliContext): Promise<number | void>;
}

/**
 * Runs a CLI the same way for every tspop command: options parsed from conf (help and version handled), the
 * first Ctrl-C/SIGTERM aborts `signal` so the command can drain, a second one exits at once; errors print one
 * line (`name: message`) and exit with the error's exitCode (2 for usage, else 1); `--verbose` adds the stack.
 */
export async function runCli(spec: CliSpec): Promise<number> {
  const argv = spec.argv ?? process.argv.slice(2);
  const shown = spec.programName ?? spec.name;
  const verbose = argv.includes('--verbose');
  const controller = new AbortController();
  let hub: HubType | undefined;
  // Every line this CLI writes to stderr goes through `redact`: URL passwords and key-like words always, and once
  // options are loaded the values given for secret options (a key typed where a file belongs must not come back).
  let redact = (text: string): string => redactKnown(redactUrls(text));
  const logger = createConsoleLogger(undefined, (line) => process.stderr.write(redact(line)));
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    process.stderr.write(`${shown}: ${sig}: finishing queued work (send it again to exit now)\n`);
    controller.abort(Object.assign(new Error(`received ${sig}`), { signal: sig }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onClosed = () => controller.abort(new Error('stdout was closed'));
  closedOutput.on('closed', onClosed);
  guardOutput();
  try {
    const root = spec.root ?? process.cwd();
    hub = await Hub.create({ root, logger });
    const version = spec.version ?? packageVersion(root);
    const loaded = await hub.pop.config.load(spec.config, { cli: spec.name, argv, version, verboseFlag: true, programName: shown });
    redact = (text) => loaded.redact(redactUrls(text));
    if (loaded.help !== undefined) {
      process.stdout.write(loaded.help.endsWith('\n') ? loaded.help : `${loaded.help}\n`);
      return 0;
    }
    if (loaded.version !== undefined) {
      process.stdout.write(`${loaded.version}\n`);
      return 0;
    }
    const code = await spec.main({ hub, subcommand: loaded.subcommand, signal: controller.signal });
    return code ?? 0;
  } catch (err) {
    process.stderr.write(`${shown}: ${redact(oneLine(err))}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
    return exitCodeOf(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    closedOutput.off('closed', onClosed);
    await hub?.close().catch(() => undefined);
  }
}

/** Emits `closed` once when the reader of stdout or stderr went away. */
const closedOutput = new EventEmitter();
let guarded = false;

/**
 * `acct decrypt ... | head -1`: the reader closes the pipe and the next write fails with EPIPE, which Node
 * raises as an unhandled 'error' event (a stack trace and exit 1). A CLI whose reader left has nobody to tell:
 * the write errors are swallowed for the rest of the process and the running command is asked to stop (its
 * `signal` aborts), so it still drains and cleans up, and exits 0 as `yes | head -1` does for its part.
 */
function guardOutput(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
      closedOutput.emit('closed');
    });
  }
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const code = TspopError.is(err) ? ` [${err.code}]` : '';
  return `${msg.split('\n')[0]}${code}`;
}

function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown })?.exitCode;
  return typeof code === 'number' && code > 0 ? code : 1;
}
