/** Checks a topology once (hub.amqp.topology.declare's argument) and fills in defaults and generated queue names. */
import { randomUUID } from 'node:crypto';
import { AmqpOptionsError } from '../_errors.ts';
import type { AmqpBindingSpec, AmqpExchangeSpec, AmqpQueueSpec, AmqpTopology } from './types.ts';

export interface ExchangeDecl {
  readonly name: string;
  readonly type: string;
  readonly mode: 'assert' | 'check';
  readonly options: { durable: boolean; autoDelete: boolean; internal: boolean; arguments: Record<string, unknown> };
}

export interface QueueDecl {
  readonly name: string;
  readonly mode: 'assert' | 'check' | 'ensure';
  readonly options: { durable: boolean; exclusive: boolean; autoDelete: boolean; arguments: Record<string, unknown> };
}

export interface TopologyPlan {
  readonly exchanges: readonly ExchangeDecl[];
  readonly queues: readonly QueueDecl[];
  readonly bindings: readonly AmqpBindingSpec[];
}

/** The exchange types every RabbitMQ has; others come from plugins and are probed first (see topology-job.ts). */
export const BUILTIN_EXCHANGE_TYPES: ReadonlySet<string> = new Set(['direct', 'topic', 'fanout', 'headers']);

/** The broker plugin behind an exchange type, for the error when the broker lacks it. */
export const EXCHANGE_TYPE_PLUGINS: Readonly<Record<string, string>> = {
  'x-delayed-message': 'rabbitmq_delayed_message_exchange',
  'x-consistent-hash': 'rabbitmq_consistent_hash_exchange',
  'x-random': 'rabbitmq_random_exchange',
  'x-recent-history': 'rabbitmq_recent_history_exchange',
  'x-modulus-hash': 'rabbitmq_sharding',
};

export function topologyPlan(topo: AmqpTopology): TopologyPlan {
  if (typeof topo !== 'object' || topo === null) fail('the topology must be an object { exchanges, queues, bindings }');
  const unknown = Object.keys(topo).filter((k) => !['exchanges', 'queues', 'bindings'].includes(k));
  if (unknown.length > 0) fail(`unknown key(s) ${unknown.join(', ')} (known: exchanges, queues, bindings)`);
  return {
    exchanges: list(topo.exchanges, 'exchanges').map((x, i) => exchangeDecl(x as AmqpExchangeSpec, `exchanges[${i}]`)),
    queues: list(topo.queues, 'queues').map((q, i) => queueDecl(q as AmqpQueueSpec, `queues[${i}]`)),
    bindings: list(topo.bindings, 'bindings').map((b, i) => bindingDecl(b as AmqpBindingSpec, `bindings[${i}]`)),
  };
}

function exchangeDecl(x: AmqpExchangeSpec, at: string): ExchangeDecl {
  obj(x, at);
  keys(x, at, ['name', 'type', 'durable', 'autoDelete', 'internal', 'arguments', 'mode']);
  if (typeof x.name !== 'string' || x.name === '') fail(`${at}.name must be a non-empty string (the default exchange is not declared)`);
  if (typeof x.type !== 'string' || x.type === '') fail(`${at}.type must be an exchange type (direct, topic, fanout, headers, x-delayed-message ...)`);
  const args = argsOf(x.arguments, at);
  if (x.type === 'x-delayed-message' && typeof args['x-delayed-type'] !== 'string') fail(`${at}: x-delayed-message needs arguments['x-delayed-type'] (direct, topic, fanout or headers)`);
  return {
    name: x.name,
    type: x.type,
    mode: oneOf(x.mode, `${at}.mode`, ['assert', 'check'] as const, 'assert'),
    options: { durable: bool(x.durable, `${at}.durable`, true), autoDelete: bool(x.autoDelete, `${at}.autoDelete`, false), internal: bool(x.internal, `${at}.internal`, false), arguments: args },
  };
}

function queueDecl(q: AmqpQueueSpec, at: string): QueueDecl {
  obj(q, at);
  keys(q, at, ['name', 'durable', 'exclusive', 'autoDelete', 'type', 'arguments', 'mode']);
  if (typeof q.name !== 'string') fail(`${at}.name must be a string ('' for a generated name)`);
  if (q.name.startsWith('amq.')) fail(`${at}.name: names starting with "amq." are the broker's`);
  const exclusive = bool(q.exclusive, `${at}.exclusive`, false);
  const durable = bool(q.durable, `${at}.durable`, !exclusive);
  const args = argsOf(q.arguments, at);
  const type = oneOf(q.type, `${at}.type`, ['classic', 'quorum', 'stream'] as const, undefined);
  if (type !== undefined) args['x-queue-type'] = type;
  const queueType = args['x-queue-type'];
  if ((queueType === 'quorum' || queueType === 'stream') && (!durable || exclusive)) fail(`${at}: a ${String(queueType)} queue must be durable and not exclusive`);
  return {
    // generated here, once, so reconnects re-declare (and consumers re-subscribe to) the same name
    name: q.name === '' ? `tspop.gen.${randomUUID()}` : q.name,
    mode: oneOf(q.mode, `${at}.mode`, ['assert', 'check', 'ensure'] as const, 'assert'),
    options: { durable, exclusive, autoDelete: bool(q.autoDelete, `${at}.autoDelete`, false), arguments: args },
  };
}

function bindingDecl(b: AmqpBindingSpec, at: string): AmqpBindingSpec {
  obj(b, at);
  keys(b, at, ['queue', 'exchange', 'routingKey', 'arguments']);
  if (typeof b.queue !== 'string' || b.queue === '') fail(`${at}.queue must be a queue name`);
  if (typeof b.exchange !== 'string' || b.exchange === '') fail(`${at}.exchange must be an exchange name (the default exchange binds every queue already)`);
  if (typeof b.routingKey !== 'string') fail(`${at}.routingKey must be a string`);
  return { queue: b.queue, exchange: b.exchange, routingKey: b.routingKey, arguments: argsOf(b.arguments, at) };
}

function list(v: unknown, key: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`"${key}" must be a list`);
  return v as unknown[];
}

function obj(v: unknown, at: string): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${at} must be an object`);
}

function keys(v: object, at: string, known: readonly string[]): void {
  const unknown = Object.keys(v).filter((k) => !known.includes(k));
  if (unknown.length > 0) fail(`${at}: unknown key(s) ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

function argsOf(v: unknown, at: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${at}.arguments must be an object`);
  return { ...(v as Record<string, unknown>) };
}

function bool(v: unknown, at: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') fail(`${at} must be true or false`);
  return v as boolean;
}

function oneOf<T extends string, D extends T | undefined>(v: unknown, at: string, allowed: readonly T[], dflt: D): T | D {
  if (v === undefined) return dflt;
  if (!allowed.includes(v as T)) fail(`${at} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function fail(message: string): never {
  throw new AmqpOptionsError(`hub.amqp.topology.declare: ${message}`);
}
