/**
 * The dragonfly subcommands, each a flat list of steps over hub.dripline: agent requests (get/set/cmd and the
 * seed's config/run/send mapped onto v3), monitor, serve and watchdog. They return the exit status.
 */
import type { Hub } from '../../../src/types.ts';
import { DriplineUsageError } from '../_errors.ts';
import { readAuth } from './auth.ts';
import { castArg, splitValues, type Command, type ParsedArgs } from './cli-args.ts';
import type { MeshConfig } from './mesh.ts';
import type { DriplineReply, OpName } from './message.ts';
import { messageParam, monitorText, replyLine } from './render.ts';
import { exitCodeFor } from './return-codes.ts';
import { pyRepr } from './python-str.ts';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands stop cleanly. */
  readonly signal: AbortSignal;
}

type Opts = ParsedArgs['options'];

const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const list = (o: Opts, k: string): string[] | undefined => (Array.isArray(o[k]) ? (o[k] as string[]) : undefined);

function seconds(o: Opts, k: string, dflt: number): number {
  const v = str(o, k);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new DriplineUsageError(`--${k} must be a number of seconds > 0, got ${JSON.stringify(v)}`);
  return n;
}

function integer(o: Opts, k: string, flag: string): number | undefined {
  const v = str(o, k);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new DriplineUsageError(`${flag} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

/** Connection options every subcommand shares (-b, -p, --vhost, --auth-file). */
export function connectOptions(o: Opts): { broker?: string; mesh: Partial<MeshConfig>; authFile?: string; connectAttempts: number } {
  const port = integer(o, 'port', '--port');
  return {
    // dl-agent gives up on a broker that refuses connections instead of waiting out the whole timeout; five
    // attempts (about 3 s of backoff) still ride out a broker restart
    connectAttempts: 5,
    broker: str(o, 'broker'),
    mesh: { ...(port !== undefined ? { broker_port: port } : {}), ...(str(o, 'vhost') ? { vhost: str(o, 'vhost') } : {}) },
    authFile: str(o, 'auth_file'),
  };
}

/** What a seed subcommand sends in dripline v3. */
function operationOf(command: Command, p: ParsedArgs): { op: OpName; specifier: string; valueTokens: readonly string[] } {
  const given = str(p.options, 'specifier');
  const rest = p.positionals.slice(1);
  switch (command) {
    case 'config': {
      const property = given ?? rest[0];
      if (!property) throw new DriplineUsageError('config needs the property: dragonfly config <target> <property> [value]');
      const values = given ? rest : rest.slice(1);
      return { op: values.length > 0 ? 'set' : 'get', specifier: property, valueTokens: values };
    }
    case 'run':
    case 'send':
      return { op: 'cmd', specifier: given ?? command, valueTokens: rest };
    default:
      return { op: command as OpName, specifier: given ?? '', valueTokens: rest };
  }
}

export async function agentCommand(hub: Hub, command: Command, p: ParsedArgs, io: CommandIo): Promise<number> {
  const target = p.positionals[0];
  if (!target) throw new DriplineUsageError(`${command} needs a target: dragonfly ${command} <target> ...`);
  const { op, specifier, valueTokens } = operationOf(command, p);
  const { values, kwargs } = splitValues(valueTokens);
  const payload = values.length > 0 || Object.keys(kwargs).length > 0 ? { ...(values.length > 0 ? { values } : {}), ...kwargs } : undefined;
  const timeoutMs = seconds(p.options, 'timeout', 10) * 1000;
  const client = await hub.dripline.client.open({ ...connectOptions(p.options), connectTimeoutMs: timeoutMs });
  try {
    const opts = { specifier, payload, lockoutKey: str(p.options, 'lockout_key') ?? '', timeoutMs };
    const replies: DriplineReply[] = target.split('.')[0] === 'broadcast' ? await client.requestAll(target, op, opts) : [await client.request(target, op, opts)];
    const prefix = [target, ...p.positionals.slice(1)].join('->');
    for (const r of replies) printReply(r, prefix, p.options, io);
    if (replies.length === 0) io.err(`dragonfly: no service answered ${target} within ${timeoutMs / 1000} s\n`);
    return Math.max(0, ...replies.map((r) => exitCodeFor(r.returnCode)));
  } finally {
    await client.close();
  }
}

function printReply(r: DriplineReply, prefix: string, o: Opts, io: CommandIo): void {
  if (o.json === true) io.out(`${JSON.stringify(messageParam(r), null, 2)}\n`);
  else if (o.pretty_print === true && r.payload !== null && typeof r.payload === 'object' && 'value_cal' in r.payload) io.out(`${pyRepr((r.payload as { value_cal: unknown }).value_cal)}\n`);
  else io.out(`${replyLine(prefix, r.returnCode, r.payload)}\n`);
  if (r.returnCode !== 0 && r.returnMessage && o.json !== true) io.err(`dragonfly: return message: ${r.returnMessage}\n`);
}

export async function monitorCommand(hub: Hub, p: ParsedArgs, io: CommandIo): Promise<number> {
  const keys = list(p.options, 'keys');
  const payloadOnly = p.options.payload_only === true;
  const mon = await hub.dripline.monitor.open({ ...connectOptions(p.options), exchange: str(p.options, 'exchange'), keys }, (seen: { exchange: string; routingKey: string; decoded: Parameters<typeof monitorText>[2] }) => {
    io.out(monitorText(seen.exchange, seen.routingKey, seen.decoded, payloadOnly));
  });
  io.err(`dragonfly monitor: listening on ${mon.exchange} for ${(keys?.length ? keys : ['#']).join(' ')}\n`);
  await aborted(io.signal);
  await mon.stop();
  return 0;
}

export async function serveCommand(hub: Hub, p: ParsedArgs, io: CommandIo): Promise<number> {
  const config = str(p.options, 'config');
  if (!config) throw new DriplineUsageError('serve needs a config file: dragonfly serve -c service.yaml');
  const c = connectOptions(p.options);
  const maxPayload = integer(p.options, 'max_payload', '--max-payload');
  const mesh: Partial<MeshConfig> = {
    ...c.mesh,
    ...(str(p.options, 'requests_exchange') ? { requests_exchange: str(p.options, 'requests_exchange') } : {}),
    ...(str(p.options, 'alerts_exchange') ? { alerts_exchange: str(p.options, 'alerts_exchange') } : {}),
    ...(str(p.options, 'heartbeat_routing_key') ? { heartbeat_routing_key: str(p.options, 'heartbeat_routing_key') } : {}),
    ...(maxPayload !== undefined ? { max_payload_size: maxPayload } : {}),
  };
  const hb = str(p.options, 'heartbeat_interval_s');
  const running = await hub.dripline.service.start(config, {
    broker: c.broker, mesh, keys: list(p.options, 'keys'), connectAttempts: 5,
    ...(c.authFile ? { auth: readAuth(c.authFile) } : {}),
    ...(hb !== undefined ? { heartbeatIntervalS: Number(castArg(hb)) } : {}),
  });
  io.err(`dragonfly serve: ${running.name} is running (endpoints: ${running.service.endpointNames.slice(1).join(', ') || 'none'}; broker ${running.mesh.broker}:${running.mesh.broker_port})\n`);
  await aborted(io.signal);
  await running.stop();
  return 0;
}

export async function watchdogCommand(hub: Hub, p: ParsedArgs, io: CommandIo): Promise<number> {
  const keys = list(p.options, 'keys') ?? ['heartbeat.#'];
  const intervalMs = seconds(p.options, 'interval', 60) * 1000;
  const once = p.options.once === true;
  let last = Date.now();
  let silent = false;
  let seen = 0;
  const mon = await hub.dripline.monitor.open({ ...connectOptions(p.options), exchange: str(p.options, 'exchange'), keys }, (m: { routingKey: string }) => {
    last = Date.now();
    seen++;
    if (silent) io.out(`${new Date().toISOString()} watchdog: ${m.routingKey} arrived again\n`);
    silent = false;
  });
  io.err(`dragonfly watchdog: watching ${mon.exchange} for ${keys.join(' ')} (silence allowed: ${intervalMs / 1000} s)\n`);
  try {
    if (once) {
      await aborted(io.signal, intervalMs);
      if (seen > 0) return 0;
      io.out(`${new Date().toISOString()} watchdog: nothing on ${mon.exchange} for ${keys.join(' ')} within ${intervalMs / 1000} s\n`);
      return 1;
    }
    while (!io.signal.aborted) {
      await aborted(io.signal, Math.min(1000, intervalMs));
      if (!silent && Date.now() - last > intervalMs) {
        silent = true;
        io.out(`${new Date().toISOString()} watchdog: nothing on ${mon.exchange} for ${keys.join(' ')} within ${intervalMs / 1000} s\n`);
      }
    }
    return 0;
  } finally {
    await mon.stop();
  }
}

/** Resolves when `signal` aborts (or after `ms`, when given). */
function aborted(signal: AbortSignal, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
