/**
 * Checks hub.amqp.connection.open's options once and turns them into what amqplib connects with. Errors name the
 * option, never a password (a URL that does not parse is not echoed either: it may carry one).
 */
import { createHash } from 'node:crypto';
import type { Options, SocketOptions } from 'amqplib';
import { AmqpOptionsError } from '../_errors.ts';
import type { AmqpConnectOptions, AmqpTls } from './types.ts';

/** One broker of the list, as amqplib's connect() takes it; `where` is what logs and messages may show. */
export interface Broker {
  readonly connect: Options.Connect;
  readonly where: string;
}

export interface ConnectSettings {
  readonly brokers: readonly Broker[];
  readonly tls: AmqpTls | undefined;
  readonly heartbeat: number;
  readonly connectTimeoutMs: number;
  /** amqplib's second connect() argument: timeout, TLS material, the connection name the broker shows. */
  readonly socketOptions: SocketOptions;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly label: string;
  readonly logFields: Readonly<Record<string, string>>;
  /** Leases with the same key share one connection. */
  readonly key: string;
  /** The passwords, so driver messages can be scrubbed of them whatever their shape. */
  readonly secrets: readonly string[];
}

const KEYS = new Set([
  'urls', 'host', 'port', 'username', 'password', 'vhost', 'tls', 'heartbeat', 'connectTimeoutMs', 'minBackoffMs',
  'maxBackoffMs', 'label', 'logFields', 'hold',
]);
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'passphrase', 'servername', 'rejectUnauthorized']);

export function connectSettings(opts: AmqpConnectOptions): ConnectSettings {
  if (typeof opts !== 'object' || opts === null) fail('options must be an object');
  const unknown = Object.keys(opts).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
  const tls = tlsOf(opts.tls);
  const defaults = {
    hostname: str(opts.host, 'host') ?? '127.0.0.1',
    port: int(opts.port, 'port', tls ? 5671 : 5672, 1, 65_535),
    username: str(opts.username, 'username') ?? 'guest',
    password: secret(opts.password) ?? 'guest',
    vhost: opts.vhost === undefined ? '/' : (str(opts.vhost, 'vhost') as string),
  };
  const heartbeat = int(opts.heartbeat, 'heartbeat', 30, 0, 3600);
  const urls = opts.urls === undefined ? [] : typeof opts.urls === 'string' ? [opts.urls] : opts.urls;
  if (!Array.isArray(urls)) fail('"urls" must be a URL string or a list of them');
  const brokers = urls.length === 0 ? [brokerOf(defaults, tls !== undefined, heartbeat)] : urls.map((u, i) => parseUrl(u, i, defaults, tls, heartbeat));
  const minBackoffMs = int(opts.minBackoffMs, 'minBackoffMs', 100, 1, 600_000);
  const maxBackoffMs = Math.max(minBackoffMs, int(opts.maxBackoffMs, 'maxBackoffMs', 3000, 1, 3_600_000));
  const first = brokers[0] as Broker;
  const label = str(opts.label, 'label') ?? (brokers.length > 1 ? `${first.where} (+${brokers.length - 1})` : first.where);
  const logFields = fieldsOf(opts.logFields);
  const key = JSON.stringify([
    brokers.map((b) => [b.connect.protocol, b.connect.hostname, b.connect.port, b.connect.username, digest(b.connect.password ?? ''), b.connect.vhost]),
    tls, heartbeat,
  ]);
  const secrets = [...new Set(brokers.map((b) => b.connect.password ?? '').filter((p) => p.length > 0))];
  const connectTimeoutMs = int(opts.connectTimeoutMs, 'connectTimeoutMs', 5000, 1, 600_000);
  const socketOptions: SocketOptions = { timeout: connectTimeoutMs, clientProperties: { connection_name: `tspop ${label}` } };
  if (tls) Object.assign(socketOptions, tls, tls.ca === undefined ? {} : { ca: typeof tls.ca === 'string' ? tls.ca : [...tls.ca] });
  return { brokers, tls, heartbeat, connectTimeoutMs, socketOptions, minBackoffMs, maxBackoffMs, label, logFields, key, secrets };
}

interface Defaults {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
}

function brokerOf(d: Defaults, tls: boolean, heartbeat: number): Broker {
  const connect: Options.Connect = { protocol: tls ? 'amqps' : 'amqp', hostname: d.hostname, port: d.port, username: d.username, password: d.password, vhost: d.vhost, heartbeat };
  const host = d.hostname.includes(':') ? `[${d.hostname}]` : d.hostname;
  return { connect, where: `${host}:${d.port}${d.vhost === '/' ? '' : ` vhost ${d.vhost}`}` };
}

function parseUrl(raw: unknown, i: number, d: Defaults, tls: AmqpTls | undefined, heartbeat: number): Broker {
  if (typeof raw !== 'string' || raw === '') fail(`urls[${i}] must be a non-empty string`);
  let url: URL;
  try {
    url = new URL(raw as string);
  } catch {
    return fail(`urls[${i}] is not a valid amqp:// or amqps:// URL (not shown: it may hold a password)`);
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') fail(`urls[${i}] must start with amqp:// or amqps://`);
  const secure = url.protocol === 'amqps:' || tls !== undefined;
  const decode = (s: string, what: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return fail(`urls[${i}] has a badly escaped ${what}`);
    }
  };
  const path = url.pathname;
  return brokerOf({
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1') || d.hostname,
    port: url.port ? Number(url.port) : secure ? 5671 : 5672,
    username: url.username ? decode(url.username, 'user name') : d.username,
    password: url.password ? decode(url.password, 'password') : d.password,
    // amqp://host and amqp://host/ both mean the default vhost; %2F is '/'
    vhost: path === '' || path === '/' ? d.vhost : decode(path.slice(1), 'vhost'),
  }, secure, heartbeat);
}

function tlsOf(v: unknown): AmqpTls | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('"tls" must be true, false or { ca, cert, key, passphrase, servername, rejectUnauthorized }');
  const t = v as Record<string, unknown>;
  const unknown = Object.keys(t).filter((k) => !TLS_KEYS.has(k));
  if (unknown.length > 0) fail(`unknown tls option(s) ${unknown.join(', ')}`);
  for (const k of ['cert', 'key', 'passphrase', 'servername']) if (t[k] !== undefined && typeof t[k] !== 'string') fail(`"tls.${k}" must be a string`);
  if (t.ca !== undefined && typeof t.ca !== 'string' && !(Array.isArray(t.ca) && t.ca.every((c) => typeof c === 'string'))) fail('"tls.ca" must be a PEM string or a list of them');
  if (t.rejectUnauthorized !== undefined && typeof t.rejectUnauthorized !== 'boolean') fail('"tls.rejectUnauthorized" must be true or false');
  return t as AmqpTls;
}

function fieldsOf(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) fail('"logFields" must map names to strings');
  return { ...(v as Record<string, string>) };
}

function str(v: unknown, key: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') fail(`"${key}" must be a non-empty string`);
  return v as string;
}

function secret(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail('"password" must be a string (value not shown)');
  return v as string;
}

function int(v: unknown, key: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`"${key}" must be an integer from ${min} to ${max}`);
  return v as number;
}

function digest(password: string): string {
  return createHash('sha256').update(password).digest('hex').slice(0, 16);
}

function fail(message: string): never {
  throw new AmqpOptionsError(`hub.amqp.connection.open: ${message}`);
}
