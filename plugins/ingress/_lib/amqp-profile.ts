/**
 * Checks one AMQP acct profile (the pop-evbus pika profile: host, port, username, password, ingress_channels,
 * plus exchange, routing_key, vhost, tls and tuning) once, at gather time. Every error names the provider,
 * the profile and the key; none ever includes the password.
 */
import { EvbusAmqpProfileError } from '../../evbus/_errors.ts';
import type { AmqpTls } from '../../amqp/_lib/types.ts';

export type { AmqpTls };

/** Where one event goes: a queue through the default exchange, or an exchange with a routing key. */
export interface AmqpTarget {
  readonly exchange: string;
  readonly routingKey: string;
}

export interface AmqpProfile {
  /** `<provider>/<profile name>`, for logs. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
  readonly tls: AmqpTls | undefined;
  /** Queues declared (durable) when missing; empty when publishing to an exchange. */
  readonly queues: readonly string[];
  readonly exchange: string | undefined;
  readonly targets: readonly AmqpTarget[];
  /** Heartbeat in seconds (default 30). */
  readonly heartbeat: number;
  /** TCP connect timeout in ms (default 5000). */
  readonly connectTimeoutMs: number;
  /** Most messages held unconfirmed or waiting for a connection; `publish` waits beyond that (default 10000). */
  readonly bufferSize: number;
  /** Reconnect backoff starts here (ms, default 100), doubles per failed attempt, stops growing at `maxBackoffMs` (default 3000). */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

const KEYS = new Set([
  'host', 'port', 'username', 'password', 'vhost', 'virtualhost', 'tls', 'ssl', 'ingress_channels', 'exchange',
  'routing_key', 'heartbeat', 'connect_timeout', 'buffer_size', 'min_backoff', 'max_backoff',
]);
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'passphrase', 'servername', 'rejectUnauthorized', 'reject_unauthorized']);

/** Normalises raw profile data; throws `TSPOP_ERR_EVBUS_AMQP_PROFILE` naming the profile and key. */
export function parseAmqpProfile(provider: string, name: string, raw: unknown): AmqpProfile {
  const label = `${provider}/${name}`;
  const fail = (msg: string): never => {
    throw new EvbusAmqpProfileError(`acct profile ${label}: ${msg}`);
  };
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('must be a mapping of connection settings');
  const p = raw as Record<string, unknown>;
  const unknown = Object.keys(p).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) fail(`unknown key(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);

  const str = (key: string, dflt: string | undefined): string | undefined => {
    const v = p[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string' || v === '') fail(`"${key}" must be a non-empty string`);
    return v as string;
  };
  const int = (key: string, dflt: number, min: number, max: number): number => {
    const v = p[key];
    if (v === undefined || v === null) return dflt;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
    return n as number;
  };

  const password = p.password;
  if (password !== undefined && password !== null && typeof password !== 'string') fail('"password" must be a string (value not shown)');
  const tls = parseTls(p.tls ?? p.ssl, fail);
  const exchange = str('exchange', undefined);
  const routingKey = str('routing_key', undefined);
  const queues = parseChannels(p.ingress_channels, fail);
  if (!exchange && queues.length === 0 && !routingKey) fail('needs "ingress_channels" (queue names) or an "exchange"');
  const targets: AmqpTarget[] = exchange
    ? [{ exchange, routingKey: routingKey ?? '' }]
    : (queues.length > 0 ? queues : [routingKey as string]).map((q) => ({ exchange: '', routingKey: q }));
  const minBackoffMs = int('min_backoff', 100, 1, 60_000);
  return {
    label,
    host: str('host', 'localhost') as string,
    port: int('port', tls ? 5671 : 5672, 1, 65_535),
    username: str('username', 'guest') as string,
    password: (password as string | undefined) ?? 'guest',
    vhost: str(p.vhost !== undefined ? 'vhost' : 'virtualhost', '/') as string,
    tls,
    queues: exchange ? [] : targets.map((t) => t.routingKey),
    exchange,
    targets,
    heartbeat: int('heartbeat', 30, 0, 3600),
    connectTimeoutMs: int('connect_timeout', 5000, 1, 600_000),
    bufferSize: int('buffer_size', 10_000, 1, 10_000_000),
    minBackoffMs,
    maxBackoffMs: Math.max(minBackoffMs, int('max_backoff', 3000, 1, 600_000)),
  };
}

function parseChannels(v: unknown, fail: (m: string) => never): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.some((q) => typeof q !== 'string' || q === '')) fail('"ingress_channels" must be a list of queue names');
  return [...new Set(list as string[])];
}

function parseTls(v: unknown, fail: (m: string) => never): AmqpTls | undefined {
  if (v === undefined || v === null || v === false) return undefined;
  if (v === true) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail('"tls" must be true, false or a mapping (ca, cert, key, passphrase, servername, reject_unauthorized)');
  const t = v as Record<string, unknown>;
  const unknown = Object.keys(t).filter((k) => !TLS_KEYS.has(k));
  if (unknown.length > 0) fail(`unknown tls key(s) ${unknown.join(', ')}`);
  for (const k of ['cert', 'key', 'passphrase', 'servername']) {
    if (t[k] !== undefined && typeof t[k] !== 'string') fail(`"tls.${k}" must be a string`);
  }
  if (t.ca !== undefined && typeof t.ca !== 'string' && !(Array.isArray(t.ca) && t.ca.every((c) => typeof c === 'string'))) {
    fail('"tls.ca" must be a PEM string or a list of them');
  }
  const reject = t.rejectUnauthorized ?? t.reject_unauthorized;
  if (reject !== undefined && typeof reject !== 'boolean') fail('"tls.reject_unauthorized" must be true or false');
  return {
    ca: t.ca as string | string[] | undefined,
    cert: t.cert as string | undefined,
    key: t.key as string | undefined,
    passphrase: t.passphrase as string | undefined,
    servername: t.servername as string | undefined,
    rejectUnauthorized: reject as boolean | undefined,
  };
}
