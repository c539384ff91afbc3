/**
 * dragonfly's command line, parsed by hand: the seed's flags do not fit a generic option parser. `-po` is one
 * flag (not -p -o), `-vv` counts, `-b` takes an optional value (bare `-b` means localhost), `-k` means a lockout
 * key on get/set/cmd but binding keys on monitor/serve/watchdog, and a negative number (`set x -1.5`) is a
 * value, not an option — as argparse treated them for the seed.
 */
import { closest } from '../../../src/config/closest.ts';
import type { TspopError } from '../../../src/errors.ts';
import { DriplineUsageError } from '../_errors.ts';

export const AGENT_COMMANDS = ['get', 'set', 'cmd', 'config', 'run', 'send'] as const;
export const COMMANDS = [...AGENT_COMMANDS, 'monitor', 'serve', 'watchdog'] as const;
export type Command = (typeof COMMANDS)[number];

type Kind = 'flag' | 'count' | 'value' | 'optional' | 'list';
interface Spec {
  readonly names: readonly string[];
  readonly key: string;
  readonly kind: Kind;
  /** The value of an `optional` flag given without one. */
  readonly bare?: string;
}

const COMMON: readonly Spec[] = [
  { names: ['-h', '--help'], key: 'help', kind: 'flag' },
  { names: ['-v', '--verbose'], key: 'verbose', kind: 'count' },
  { names: ['-V', '--version'], key: 'version', kind: 'flag' },
  { names: ['-b', '--broker'], key: 'broker', kind: 'optional', bare: 'localhost' },
  { names: ['-p', '--port'], key: 'port', kind: 'value' },
  { names: ['--vhost'], key: 'vhost', kind: 'value' },
  { names: ['--auth-file', '--auth_file'], key: 'auth_file', kind: 'value' },
];
const AGENT: readonly Spec[] = [
  { names: ['-s', '--specifier'], key: 'specifier', kind: 'value' },
  { names: ['-t', '--timeout'], key: 'timeout', kind: 'value' },
  { names: ['-k', '--lockout-key', '--lockout_key'], key: 'lockout_key', kind: 'value' },
  { names: ['--json'], key: 'json', kind: 'flag' },
  { names: ['--pretty-print'], key: 'pretty_print', kind: 'flag' },
];
const PER_COMMAND: Readonly<Record<string, readonly Spec[]>> = {
  monitor: [
    { names: ['-e', '--exchange'], key: 'exchange', kind: 'value' },
    { names: ['-k', '--keys'], key: 'keys', kind: 'list' },
    { names: ['-po', '--payload-only'], key: 'payload_only', kind: 'flag' },
  ],
  serve: [
    { names: ['-c', '--config'], key: 'config', kind: 'value' },
    { names: ['-k', '--keys'], key: 'keys', kind: 'list' },
    { names: ['--requests-exchange'], key: 'requests_exchange', kind: 'value' },
    { names: ['--alerts-exchange'], key: 'alerts_exchange', kind: 'value' },
    { names: ['--max-payload'], key: 'max_payload', kind: 'value' },
    { names: ['--heartbeat-routing-key'], key: 'heartbeat_routing_key', kind: 'value' },
    { names: ['--heartbeat-interval-s'], key: 'heartbeat_interval_s', kind: 'value' },
  ],
  watchdog: [
    { names: ['-e', '--exchange'], key: 'exchange', kind: 'value' },
    { names: ['-k', '--keys'], key: 'keys', kind: 'list' },
    { names: ['-i', '--interval'], key: 'interval', kind: 'value' },
    { names: ['--once'], key: 'once', kind: 'flag' },
  ],
};

export interface ParsedArgs {
  /** undefined when only -h/-V were given. */
  readonly command: Command | undefined;
  readonly options: Readonly<Record<string, string | number | boolean | string[]>>;
  readonly positionals: readonly string[];
}

function specsFor(command: string | undefined): readonly Spec[] {
  if (command === undefined) return COMMON;
  return [...COMMON, ...((AGENT_COMMANDS as readonly string[]).includes(command) ? AGENT : PER_COMMAND[command] ?? [])];
}

const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const looksLikeOption = (t: string | undefined) => t !== undefined && t.startsWith('-') && t !== '-' && !NEGATIVE_NUMBER.test(t);

export function parseDragonflyArgs(argv: readonly string[]): ParsedArgs {
  const options: Record<string, string | number | boolean | string[]> = {};
  const positionals: string[] = [];
  let command: Command | undefined;
  let i = 0;
  let onlyPositionals = false;

  while (i < argv.length) {
    const tok = argv[i++] as string;
    if (onlyPositionals || !looksLikeOption(tok)) {
      if (command === undefined) {
        if (!(COMMANDS as readonly string[]).includes(tok)) {
          const hint = closest(tok, COMMANDS);
          throw new DriplineUsageError(`unknown subcommand ${JSON.stringify(tok)}${hint ? ` (did you mean ${hint}?)` : ''}; choose from: ${COMMANDS.join(', ')}`);
        }
        command = tok as Command;
      } else positionals.push(tok);
      continue;
    }
    if (tok === '--') {
      onlyPositionals = true;
      continue;
    }
    const specs = specsFor(command);
    if (/^-v{2,}$/.test(tok)) {
      options.verbose = Number(options.verbose ?? 0) + tok.length - 1;
      continue;
    }
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const name = eq > 0 ? tok.slice(0, eq) : tok;
    let inline: string | undefined = eq > 0 ? tok.slice(eq + 1) : undefined;
    let spec = specs.find((s) => s.names.includes(name));
    // -sVALUE, as argparse takes it for a short option with a value (but -po on get is monitor's flag, not -p o)
    if (!spec && !tok.startsWith('--') && tok.length > 2 && !COMMANDS.some((c) => specsFor(c).some((s) => s.names.includes(tok)))) {
      spec = specs.find((s) => s.kind !== 'flag' && s.kind !== 'count' && s.names.includes(tok.slice(0, 2)));
      if (spec) inline = tok.slice(2);
    }
    if (!spec) throw unknownOption(name, command);
    switch (spec.kind) {
      case 'flag':
        if (inline !== undefined) throw new DriplineUsageError(`option ${name} takes no value`);
        options[spec.key] = true;
        break;
      case 'count':
        options[spec.key] = Number(options[spec.key] ?? 0) + 1;
        break;
      case 'value': {
        const v = inline ?? (looksLikeOption(argv[i]) ? undefined : argv[i++]);
        if (v === undefined) throw new DriplineUsageError(`option ${name} needs a value`);
        options[spec.key] = v;
        break;
      }
      case 'optional':
        options[spec.key] = inline ?? (argv[i] !== undefined && !looksLikeOption(argv[i]) && !isCommand(argv[i], command) ? (argv[i++] as string) : (spec.bare as string));
        break;
      case 'list': {
        const list = (options[spec.key] as string[] | undefined) ?? [];
        if (inline !== undefined) list.push(inline);
        else while (i < argv.length && !looksLikeOption(argv[i])) list.push(argv[i++] as string);
        options[spec.key] = list;
        break;
      }
    }
  }
  return { command, options, positionals };
}

/** Before the subcommand, a bare `-b get` must not swallow the subcommand as the broker. */
function isCommand(tok: string | undefined, command: string | undefined): boolean {
  return command === undefined && tok !== undefined && (COMMANDS as readonly string[]).includes(tok);
}

function unknownOption(name: string, command: string | undefined): TspopError {
  const elsewhere = COMMANDS.filter((c) => specsFor(c).some((s) => s.names.includes(name)));
  if (elsewhere.length > 0) return new DriplineUsageError(`option ${name} is not an option of ${command ?? 'dragonfly'} (only of: ${elsewhere.join(', ')})`);
  const hint = name.startsWith('--') ? closest(name, specsFor(command).flatMap((s) => s.names).filter((n) => n.startsWith('--'))) : undefined;
  return new DriplineUsageError(`unknown option ${name}${hint ? ` (did you mean ${hint}?)` : ''}`);
}

/**
 * A command-line value as the seed's cast_arg read it: numbers, true/false, null/none/nil, JSON lists and
 * objects and quoted strings become those; anything else stays a string.
 */
export function castArg(text: string): unknown {
  const t = text.trim();
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^(none|nil|null)$/i.test(t)) return null;
  // no leading zeros: '007' is an identifier, as Python's literal_eval refuses it
  if (/^-?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[[{"]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  return text;
}

/** The seed's split of positional values: `key=value` is a keyword argument, everything else a value. */
export function splitValues(tokens: readonly string[]): { values: unknown[]; kwargs: Record<string, unknown> } {
  const values: unknown[] = [];
  const kwargs: Record<string, unknown> = {};
  for (const tok of tokens) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/s.exec(tok);
    if (m) kwargs[m[1] as string] = castArg(m[2] as string);
    else values.push(castArg(tok));
  }
  return { values, kwargs };
}
