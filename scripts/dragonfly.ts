/**
 * `dragonfly` — the seed's command-line tool for dripline v3 meshes: get/set/cmd requests, monitor, serve,
 * watchdog (and the seed's config/run/send, mapped onto v3 operations).
 *
 *   dragonfly serve -c plugins/dripline/examples/kv_store_tutorial.yaml
 *   dragonfly get peaches              # peaches(ret:0): {'value_cal': 1.5, 'value_raw': '0.75'}
 *   dragonfly set chips 1.79
 *   dragonfly monitor -e requests
 *
 * Not built on runCli: the seed's flags (-po, -vv, a bare -b, -k meaning different things per subcommand,
 * negative numbers as values) do not fit the conf-driven option parser, so plugins/dripline/_lib/cli-args.ts
 * parses them. Errors print one line (the stack only with -v); the exit status is the reply's return code / 100,
 * as dl-agent's (1: broker unreachable, 4: unroutable or timed out), 2 for a bad command line.
 */
import { Hub, createConsoleLogger } from '../src/index.ts';
import { TspopError, describeError } from '../src/errors.ts';
import { DriplineUsageError, returnCodeOf } from '../plugins/dripline/_errors.ts';
import { AGENT_COMMANDS, parseDragonflyArgs, type ParsedArgs } from '../plugins/dripline/_lib/cli-args.ts';
import { agentCommand, monitorCommand, serveCommand, watchdogCommand, type CommandIo } from '../plugins/dripline/_lib/dragonfly-commands.ts';
import { helpText } from '../plugins/dripline/_lib/dragonfly-help.ts';
import { exitCodeFor } from '../plugins/dripline/_lib/return-codes.ts';
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';

export default async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseDragonflyArgs(argv);
  } catch (err) {
    const code = TspopError.is(err) ? ` [${err.code}]` : '';
    process.stderr.write(`dragonfly: ${describeError(err)}${code} (try: dragonfly -h)\n`);
    return 2;
  }
  const { command, options } = parsed;
  if (options.help === true || options.version === true) {
    await reportBrokenConf();
    return print(options.help === true ? helpText(command) : `${TSPOP_VERSION}\n`);
  }
  if (command === undefined) {
    process.stderr.write(helpText(undefined));
    return 2;
  }

  const verbose = Number(options.verbose ?? 0);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CommandIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), signal: controller.signal };
  let hub: Awaited<ReturnType<typeof Hub.create>> | undefined;
  try {
    await reportBrokenConf();
    hub = await Hub.create({ root: process.cwd(), logger: createConsoleLogger(verbose >= 2 ? 'debug' : verbose === 1 ? 'info' : 'error') });
    await hub.pop.sub.add({ dyneName: 'dripline' });
    if ((AGENT_COMMANDS as readonly string[]).includes(command)) return await agentCommand(hub, command, parsed, io);
    if (command === 'monitor') return await monitorCommand(hub, parsed, io);
    if (command === 'serve') return await serveCommand(hub, parsed, io);
    return await watchdogCommand(hub, parsed, io);
  } catch (err) {
    return report(err, verbose > 0);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await hub?.close().catch(() => undefined);
  }
}

/**
 * A host conf.ts that does not load is said once, in one line (as every runCli bin does), and dragonfly goes on
 * without that project: loading the config of no namespace is what reports it.
 */
async function reportBrokenConf(): Promise<void> {
  const hub = await Hub.create({ root: process.cwd(), logger: createConsoleLogger('warn') });
  await hub.pop.config.load([], { argv: [], env: {} }).catch(() => undefined);
  await hub.close();
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

/** One line; the exit status of the return code the error stands for (101 -> 1, 403/404 -> 4), else 1. */
function report(err: unknown, verbose: boolean): number {
  const code = TspopError.is(err) ? ` [${err.code}]` : '';
  const rc = returnCodeOf(err);
  const standsFor = TspopError.is(err) && rc !== 999 ? rc : undefined;
  process.stderr.write(`dragonfly: ${describeError(err, { redact: true })}${standsFor !== undefined ? ` (return code ${standsFor})` : ''}${code}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (TspopError.is(err) && err.code === DriplineUsageError.code) return 2;
  return standsFor !== undefined ? Math.max(1, exitCodeFor(standsFor)) : 1;
}
