/** queue_config entries (clc_msa_utils' shape) and streamtools' RMQ_* environment, as hub.amqp options. */
import { QueueConfigError } from '../_errors.ts';
import type { TransportOptions } from './types.ts';

export interface ExchangeConfig {
  readonly name: string;
  readonly type: string;
  readonly durable: boolean;
  readonly arguments: Record<string, unknown> | undefined;
  /** false: the exchange must already exist (checked, never declared), as clc_msa_utils' `create: false`. */
  readonly create: boolean;
}

export function exchangeOf(where: string, value: unknown): ExchangeConfig | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return { name: value, type: 'direct', durable: true, arguments: undefined, create: true };
  const e = value as Record<string, unknown>;
  if (typeof e !== 'object' || typeof e.name !== 'string' || e.name === '') throw new QueueConfigError(`${where}: "exchange" must be a name or {name, type, arguments, durable}`);
  if (e.type !== undefined && typeof e.type !== 'string') throw new QueueConfigError(`${where}: exchange.type must be a string`);
  if (e.arguments !== undefined && (typeof e.arguments !== 'object' || e.arguments === null)) throw new QueueConfigError(`${where}: exchange.arguments must be an object`);
  return {
    name: e.name,
    type: (e.type as string | undefined) ?? 'direct',
    durable: flag(where, 'durable', e.durable),
    arguments: e.arguments as Record<string, unknown> | undefined,
    create: flag(where, 'create', e.create),
  };
}

/** JSON configs (and KV stores) carry booleans as strings too; anything else is a mistake worth naming. */
function flag(where: string, key: string, value: unknown): boolean {
  if (value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new QueueConfigError(`${where}: exchange.${key} must be true or false, got ${JSON.stringify(value)}`);
}

export function amqpConnectOptions(where: string, opts: TransportOptions, label: string): Record<string, unknown> {
  const auth = (opts.auth ?? {}) as { user?: unknown; password?: unknown };
  const username = opts.username ?? auth.user ?? process.env.RMQ_USER ?? 'guest';
  const password = opts.password ?? auth.password ?? process.env.RMQ_PASS ?? 'guest';
  const port = opts.port === undefined || opts.port === null ? 5672 : Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new QueueConfigError(`${where}: port must be 1-65535, got ${JSON.stringify(opts.port)}`);
  const out: Record<string, unknown> = {
    host: opts.host ?? process.env.RMQ_HOST ?? '127.0.0.1', port, username: String(username), password: String(password), label,
  };
  if (opts.vhost !== undefined) out.vhost = opts.vhost;
  if (opts.urls !== undefined) out.urls = opts.urls;
  for (const k of ['heartbeat', 'connectTimeoutMs', 'minBackoffMs', 'maxBackoffMs', 'tls'] as const) if (opts[k] !== undefined) out[k] = opts[k];
  return out;
}

export function amqpTopology(where: string, opts: TransportOptions, exchange: ExchangeConfig | undefined, role: 'producer' | 'consumer'): Record<string, unknown> {
  const exchanges = !exchange ? []
    : exchange.create ? [{ name: exchange.name, type: exchange.type, durable: exchange.durable, arguments: exchange.arguments }]
      : [{ name: exchange.name, mode: 'check' }];
  const queue = typeof opts.queue === 'string' ? opts.queue : '';
  const declareQueue = role === 'consumer' || (!exchange && queue !== '');
  const args: Record<string, unknown> = { ...(opts.queue_arguments as Record<string, unknown> | undefined) };
  if (typeof opts.deadLetterExchange === 'string') args['x-dead-letter-exchange'] = opts.deadLetterExchange;
  const type = opts.queue_type;
  if (type !== undefined && type !== 'classic' && type !== 'quorum') throw new QueueConfigError(`${where}: queue_type must be "classic" or "quorum"`);
  const queues = declareQueue ? [{ name: queue, durable: true, type, arguments: Object.keys(args).length ? args : undefined }] : [];
  const bindingKey = typeof opts.binding_key === 'string' ? opts.binding_key : '#';
  const bindings = role === 'consumer' && exchange ? [{ queue, exchange: exchange.name, routingKey: bindingKey }] : [];
  return { exchanges, queues, bindings };
}
