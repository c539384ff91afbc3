/**
 * clc_msa_utils' QueueFactory: producers and consumers built from a JSON `queue_config` (the array, or the
 * `{ queue_config: [...] }` object; entries: name, type consumer|producer, exchange {name, type, arguments,
 * durable}, queue, binding_key, routing_key, host, port, auth {user, password}). Entries run on AMQP unless
 * they name another `transport`. `reload(config)` (or `watch(kvStore)`) rebuilds only the entries that changed.
 */
import type { Hub } from '../../../src/types.ts';
import { describeError } from '../../../src/errors.ts';
import { QueueConfigError } from '../_errors.ts';
import type { QueueMessage, TransportConsumer, TransportProducer } from '../_lib/types.ts';
import { queueHub } from './default-hub.ts';
import { decode, encode } from './codec.ts';

export interface QueueConfigEntry {
  readonly name: string;
  readonly type: 'consumer' | 'producer' | (string & {});
  readonly exchange?: { name: string; type?: string; arguments?: Record<string, unknown>; durable?: boolean } | string;
  readonly queue?: string;
  readonly binding_key?: string;
  readonly routing_key?: string;
  readonly host?: string;
  readonly port?: number | string;
  readonly auth?: { user: string; password: string };
  /** Transport plugin (default amqp). */
  readonly transport?: string;
  readonly [option: string]: unknown;
}

export type QueueConfig = readonly QueueConfigEntry[] | { readonly queue_config: readonly QueueConfigEntry[] } | string;

export type ListenCallback = (body: unknown, message: QueueMessage) => unknown;

/** A KVStore (or anything) that calls back with the old and new configuration on every reload. */
export interface ReloadSource {
  onReload(cb: (oldConfig: Record<string, unknown> | undefined, newConfig: Record<string, unknown>) => unknown): unknown;
}

function entries(config: QueueConfig, type: 'consumer' | 'producer'): QueueConfigEntry[] {
  let list: unknown = config;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch (cause) {
      throw new QueueConfigError('queue_config is not valid JSON', { cause });
    }
  }
  if (list && !Array.isArray(list) && typeof list === 'object' && 'queue_config' in list) list = (list as { queue_config: unknown }).queue_config;
  if (!Array.isArray(list)) throw new QueueConfigError('queue_config must be a list of entries (or { queue_config: [...] })');
  const out: QueueConfigEntry[] = [];
  const seen = new Set<string>();
  for (const [i, e] of list.entries()) {
    if (typeof e !== 'object' || e === null) throw new QueueConfigError(`queue_config[${i}] must be an object`);
    const entry = e as QueueConfigEntry;
    if (entry.type !== type) continue;
    if (typeof entry.name !== 'string' || entry.name === '') throw new QueueConfigError(`queue_config[${i}]: "name" must be a non-empty string`);
    if (seen.has(entry.name)) throw new QueueConfigError(`queue_config: two ${type}s are named "${entry.name}"`);
    seen.add(entry.name);
    if (type === 'consumer' && (typeof entry.queue !== 'string' || entry.queue === '')) throw new QueueConfigError(`queue_config "${entry.name}": a consumer needs "queue"`);
    if (type === 'producer' && !entry.exchange && !entry.queue) throw new QueueConfigError(`queue_config "${entry.name}": a producer needs "exchange" (or "queue")`);
    out.push(entry);
  }
  return out;
}

function transportOptions(e: QueueConfigEntry): Record<string, unknown> {
  const { name: _n, type: _t, transport: _tr, ...rest } = e;
  return rest;
}

/** One queue_config entry and the hub it is built on: what a consumer and a producer share. */
abstract class QueueEntry {
  protected entry: QueueConfigEntry;
  protected readonly hub: () => Promise<Hub>;

  constructor(entry: QueueConfigEntry, hub: () => Promise<Hub>) {
    this.entry = entry;
    this.hub = hub;
  }

  get name(): string {
    return this.entry.name;
  }

  config(): QueueConfigEntry {
    return this.entry;
  }
}

export class QueueConsumer extends QueueEntry {
  #consumer: TransportConsumer | undefined;
  #callback: ListenCallback | undefined;

  /** Calls `callback(body, message)` per message (body: the decoded JSON); acks when it resolves. */
  async listen(callback: ListenCallback): Promise<void> {
    if (typeof callback !== 'function') throw new QueueConfigError(`consumer "${this.name}": listen() needs a callback`);
    this.#callback = callback;
    await this.#start();
  }

  async #start(): Promise<void> {
    const cb = this.#callback;
    if (!cb) return;
    const hub = await this.hub();
    const c = await hub.queue.init.consumer(this.entry.transport ?? 'amqp', transportOptions(this.entry));
    await c.listen((m: QueueMessage) => cb(decode(m), m));
    this.#consumer = c;
  }

  /** Swaps in a new entry: the old consumer stops (in-flight callbacks finish), the new one takes the callback. */
  async rebuild(entry: QueueConfigEntry): Promise<void> {
    await this.stopConsuming();
    this.entry = entry;
    await this.#start();
  }

  async stopConsuming(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = undefined;
    await c?.close();
  }
}

export class QueueProducer extends QueueEntry {
  #producer: Promise<TransportProducer> | undefined;

  /** Connects and declares (done by createProducers; publish() does it when needed). */
  connect(): Promise<TransportProducer> {
    this.#producer ??= this.hub().then((hub) => hub.queue.init.producer(this.entry.transport ?? 'amqp', transportOptions(this.entry)));
    this.#producer.catch(() => {
      this.#producer = undefined;
    });
    return this.#producer;
  }

  /** Publishes `message` (objects as JSON) persistently; resolves on the broker's confirm. */
  async publish(message: unknown, properties: { headers?: Record<string, unknown>; routingKey?: string; id?: string } = {}): Promise<void> {
    const p = await this.connect();
    const { body, contentType } = encode(message);
    await p.send(body, { contentType: typeof message === 'string' ? 'application/json' : contentType, ...properties });
  }

  async rebuild(entry: QueueConfigEntry): Promise<void> {
    const old = this.#producer;
    this.#producer = undefined;
    this.entry = entry;
    await old?.then((p) => p.close(), () => undefined);
    await this.connect();
  }

  async close(): Promise<void> {
    const p = this.#producer;
    this.#producer = undefined;
    await p?.then((x) => x.close(), () => undefined);
  }
}

export interface ReloadResult {
  readonly rebuilt: string[];
  readonly added: string[];
  readonly removed: string[];
}

export class QueueFactory {
  readonly #consumers: Record<string, QueueConsumer> = {};
  readonly #producers: Record<string, QueueProducer> = {};
  readonly #hub: () => Promise<Hub>;
  #reloading: Promise<unknown> = Promise.resolve();

  constructor(opts: { hub?: Hub } = {}) {
    this.#hub = opts.hub ? () => Promise.resolve(opts.hub as Hub) : queueHub;
  }

  /** The consumers of `queueConfig`, by name; listen() on each starts it. */
  async createConsumers(queueConfig: QueueConfig): Promise<Record<string, QueueConsumer>> {
    for (const e of entries(queueConfig, 'consumer')) this.#consumers[e.name] ??= new QueueConsumer(e, this.#hub);
    return this.#consumers;
  }

  /** The producers of `queueConfig`, by name, connected and with their exchanges declared. */
  async createProducers(queueConfig: QueueConfig): Promise<Record<string, QueueProducer>> {
    const made: QueueProducer[] = [];
    for (const e of entries(queueConfig, 'producer')) {
      if (!this.#producers[e.name]) made.push((this.#producers[e.name] = new QueueProducer(e, this.#hub)));
    }
    await Promise.all(made.map((p) => p.connect()));
    return this.#producers;
  }

  consumers(): QueueConsumer[] {
    return Object.values(this.#consumers);
  }

  producers(): QueueProducer[] {
    return Object.values(this.#producers);
  }

  /** Applies a new queue_config: rebuilds only the producers/consumers whose entry changed, closes removed ones. */
  reload(queueConfig: QueueConfig): Promise<ReloadResult> {
    const run = this.#reloading.then(() => this.#apply(queueConfig));
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  async #apply(queueConfig: QueueConfig): Promise<ReloadResult> {
    const result: ReloadResult = { rebuilt: [], added: [], removed: [] };
    for (const [kind, table, make] of [
      ['consumer', this.#consumers, (e: QueueConfigEntry) => new QueueConsumer(e, this.#hub)],
      ['producer', this.#producers, (e: QueueConfigEntry) => new QueueProducer(e, this.#hub)],
    ] as const) {
      const next = new Map(entries(queueConfig, kind).map((e) => [e.name, e]));
      for (const [name, obj] of Object.entries(table)) {
        const e = next.get(name);
        if (!e) {
          await (obj instanceof QueueConsumer ? obj.stopConsuming() : (obj as QueueProducer).close());
          delete (table as Record<string, unknown>)[name];
          result.removed.push(name);
        } else if (JSON.stringify(e) !== JSON.stringify(obj.config())) {
          await obj.rebuild(e);
          result.rebuilt.push(name);
        }
      }
      for (const [name, e] of next) {
        if (!(name in table)) {
          const obj = make(e);
          (table as Record<string, unknown>)[name] = obj;
          if (obj instanceof QueueProducer) await obj.connect();
          result.added.push(name);
        }
      }
    }
    return result;
  }

  /**
   * Follows a KVStore: on each reload whose `key` (default queue_config) changed, applies it with reload().
   * Errors are logged on the hub, the previous producers and consumers kept.
   */
  watch(kv: ReloadSource, key = 'queue_config'): void {
    kv.onReload((oldConfig, newConfig) => {
      const next = pick(newConfig, key);
      if (next === undefined || JSON.stringify(pick(oldConfig, key)) === JSON.stringify(next)) return;
      return this.reload(next as QueueConfig).catch(async (err: unknown) => {
        (await this.#hub()).log.error('QueueFactory: applying the reloaded queue_config failed; kept the previous one', { error: describeError(err) });
      });
    });
  }

  /** Stops every consumer and closes every producer. */
  async stopConsuming(): Promise<void> {
    await Promise.all(Object.values(this.#consumers).map((c) => c.stopConsuming()));
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    await Promise.all(Object.values(this.#producers).map((p) => p.close()));
  }
}

function pick(config: Record<string, unknown> | undefined, key: string): unknown {
  if (!config) return undefined;
  let v: unknown = key in config ? config[key] : key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], config);
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return v;
}

