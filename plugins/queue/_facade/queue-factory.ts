/**
 * clc_msa_utils' QueueFactory: producers and consumers built from a JSON `queue_config` (the array, or the
 * `{ queue_config: [...] }` object; entries: name, type consumer|producer, exchange {name, type, arguments,
 * durable, create}, queue, binding_key, routing_key, host, port, auth {user, password}). Entries run on AMQP unless
 * they name another `transport`. `reload(config)` (or `watch(kvStore)`) rebuilds only the entries that changed.
 */
import type { Hub } from '../../../src/types.ts';
import { describeError } from '../../../src/errors.ts';
import { QueueConfigError, QueueStateError } from '../_errors.ts';
import type { QueueMessage, TransportConsumer, TransportProducer } from '../_lib/types.ts';
import { queueHub } from './default-hub.ts';
import { decode, encode } from './codec.ts';

export interface QueueConfigEntry {
  readonly name: string;
  readonly type: 'consumer' | 'producer' | (string & {});
  /** `create: false`: the exchange must exist already; it is checked, never declared. */
  readonly exchange?: { name: string; type?: string; arguments?: Record<string, unknown>; durable?: boolean | 'true' | 'false'; create?: boolean | 'true' | 'false' } | string;
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
    if (entry.type !== 'consumer' && entry.type !== 'producer') {
      throw new QueueConfigError(`queue_config[${i}]${typeof entry.name === 'string' ? ` "${entry.name}"` : ''}: "type" must be "consumer" or "producer", got ${JSON.stringify(entry.type)}`);
    }
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
    // a second callback would consume beside the first, and outlive stopConsuming()
    if (this.#callback) throw new QueueStateError(`consumer "${this.name}" is already listening; stopConsuming() first`);
    this.#callback = callback;
    try {
      this.#consumer = await this.#listening(this.entry);
    } catch (err) {
      this.#callback = undefined;
      throw err;
    }
  }

  async #listening(entry: QueueConfigEntry): Promise<TransportConsumer | undefined> {
    const cb = this.#callback;
    if (!cb) return undefined;
    const hub = await this.hub();
    const c = await hub.queue.init.consumer(entry.transport ?? 'amqp', transportOptions(entry));
    try {
      await c.listen((m: QueueMessage) => cb(decode(m), m));
    } catch (err) {
      await c.close().catch(() => undefined);
      throw err;
    }
    return c;
  }

  /**
   * Swaps in a new entry, make-before-break: the new consumer starts first, then the old one stops (its in-flight
   * callbacks finish). When the new one cannot start, the old one keeps consuming and the error is thrown.
   */
  async rebuild(entry: QueueConfigEntry): Promise<void> {
    const next = await this.#listening(entry);
    const old = this.#consumer;
    this.#consumer = next;
    this.entry = entry;
    await old?.close();
  }

  async stopConsuming(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = undefined;
    this.#callback = undefined;
    await c?.close();
  }
}

export class QueueProducer extends QueueEntry {
  #producer: Promise<TransportProducer> | undefined;

  /** Connects and declares (done by createProducers; publish() does it when needed). */
  connect(): Promise<TransportProducer> {
    this.#producer ??= this.#open(this.entry);
    this.#producer.catch(() => {
      this.#producer = undefined;
    });
    return this.#producer;
  }

  async #open(entry: QueueConfigEntry): Promise<TransportProducer> {
    const hub = await this.hub();
    return hub.queue.init.producer(entry.transport ?? 'amqp', transportOptions(entry));
  }

  /** Publishes `message` (objects as JSON) persistently; resolves on the broker's confirm. */
  async publish(message: unknown, properties: { headers?: Record<string, unknown>; routingKey?: string; id?: string } = {}): Promise<void> {
    const p = await this.connect();
    let encoded;
    try {
      encoded = encode(message);
    } catch (cause) {
      throw new QueueConfigError(`producer "${this.name}": publish() takes JSON-serialisable data (${(cause as Error).message})`, { cause });
    }
    const { body, contentType } = encoded;
    await p.send(body, { contentType: typeof message === 'string' ? 'application/json' : contentType, ...properties });
  }

  /**
   * Swaps in a new entry, make-before-break: the new producer connects and declares first; only then is the old
   * one closed (its pending confirms settle). When the new one fails, the old one stays in use and the error is thrown.
   */
  async rebuild(entry: QueueConfigEntry): Promise<void> {
    const next = this.#open(entry);
    await next;
    const old = this.#producer;
    this.#producer = next;
    this.entry = entry;
    await old?.then((p) => p.close(), () => undefined);
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

  /**
   * Each entry is applied on its own: one the broker refuses keeps its previous producer/consumer, the others still
   * change; the refused ones are then reported together (TSPOP_ERR_QUEUE_CONFIG naming them, causes kept).
   */
  async #apply(queueConfig: QueueConfig): Promise<ReloadResult> {
    const result: ReloadResult = { rebuilt: [], added: [], removed: [] };
    const failed: Array<{ name: string; error: unknown }> = [];
    const attempt = async (name: string, step: () => Promise<unknown>, done: string[]): Promise<void> => {
      try {
        await step();
        done.push(name);
      } catch (error) {
        failed.push({ name, error });
      }
    };
    for (const [kind, table, make] of [
      ['consumer', this.#consumers, (e: QueueConfigEntry) => new QueueConsumer(e, this.#hub)],
      ['producer', this.#producers, (e: QueueConfigEntry) => new QueueProducer(e, this.#hub)],
    ] as const) {
      const next = new Map(entries(queueConfig, kind).map((e) => [e.name, e]));
      for (const [name, obj] of Object.entries(table)) {
        const e = next.get(name);
        if (!e) {
          await attempt(name, async () => {
            delete (table as Record<string, unknown>)[name];
            await (obj instanceof QueueConsumer ? obj.stopConsuming() : (obj as QueueProducer).close());
          }, result.removed);
        } else if (JSON.stringify(e) !== JSON.stringify(obj.config())) {
          await attempt(name, () => obj.rebuild(e), result.rebuilt);
        }
      }
      for (const [name, e] of next) {
        if (name in table) continue;
        const obj = make(e);
        (table as Record<string, unknown>)[name] = obj;
        await attempt(name, async () => (obj instanceof QueueProducer ? obj.connect() : undefined), result.added);
      }
    }
    if (failed.length > 0) {
      const names = failed.map((f) => `"${f.name}" (${describeError(f.error)})`).join(', ');
      throw new QueueConfigError(`queue_config reload: kept the previous setup of ${names}`, { cause: new AggregateError(failed.map((f) => f.error)) });
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

