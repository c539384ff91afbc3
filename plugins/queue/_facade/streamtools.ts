/**
 * streamtools' API, async-only: service code picks its transport by name (often from an environment
 * variable) and never touches the transport itself.
 *
 *   const p = new PRODUCERS[process.env.QUEUE_TYPE ?? 'amqp']('orders'); await p.init(); await p.send({ id: 1 });
 *   const c = new CONSUMER_LOOPS[type]('orders'); await c.init(); await c.handler(async (msg) => ...);
 */
import type { Hub } from '../../../src/types.ts';
import { QueueConfigError, QueueStateError } from '../_errors.ts';
import type { MessageHandler, QueueMessage, TransportConsumer, TransportProducer } from '../_lib/types.ts';
import { queueHub } from './default-hub.ts';
import { decode, encode } from './codec.ts';
import { BUILTIN_TRANSPORTS, STREAMTOOLS_ALIASES, streamtoolsOptions, transportName } from './streamtools-transport.ts';

export interface StreamtoolsOptions {
  /** The hub whose queue dyne to use (default: the shared one, see default-hub.ts). */
  readonly hub?: Hub;
  /** Anything else is a transport option (port, servers, exchange, maxDeliveries ...). */
  readonly [option: string]: unknown;
}

/** A message handler: the decoded body (JSON parsed, else text) and the message itself. */
export type StreamtoolsHandler = (msg: unknown, message: QueueMessage) => unknown;

/**
 * What a producer and a consumer loop share: their names, options that may still change before init(), and the
 * transport end init() makes on the hub.
 */
abstract class StreamtoolsEnd<T extends { close(): Promise<void> }> {
  readonly type: string;
  readonly transport: string;
  readonly queueName: string;
  #opts: StreamtoolsOptions;
  protected end: T | undefined;

  constructor(private readonly role: 'producer' | 'consumer', type: string, queueName: string, opts: StreamtoolsOptions) {
    const registry = role === 'producer' ? 'PRODUCERS' : 'CONSUMER_LOOPS';
    if (typeof queueName !== 'string' || queueName === '') throw new QueueConfigError(`${registry}.${type}: the queue name must be a non-empty string`);
    this.type = type;
    this.transport = transportName(type);
    this.queueName = queueName;
    this.#opts = opts;
  }

  /**
   * Adds transport options before init() (HandlerFactory gives an HTTP producer its consumer's port, ConsumerRunner
   * an HTTP consumer its port and host).
   */
  configure(opts: Record<string, unknown>): this {
    if (this.end) throw new QueueStateError(`${this.type} ${this.role} for "${this.queueName}": configure() before init()`);
    this.#opts = { ...this.#opts, ...opts };
    return this;
  }

  get initialized(): boolean {
    return this.end !== undefined;
  }

  /** The transport end on the options' hub (default: the shared one). */
  protected async open(): Promise<T> {
    const { hub, ...rest } = this.#opts;
    const h = hub ?? (await queueHub());
    const options = streamtoolsOptions(this.transport, this.queueName, rest);
    return (this.role === 'producer' ? h.queue.init.producer(this.transport, options) : h.queue.init.consumer(this.transport, options)) as Promise<T>;
  }

  async close(): Promise<void> {
    const e = this.end;
    this.end = undefined;
    await e?.close();
  }
}

export class Producer extends StreamtoolsEnd<TransportProducer> {
  constructor(type: string, queueName: string, opts: StreamtoolsOptions = {}) {
    super('producer', type, queueName, opts);
  }

  /** Connects (streamtools' a_init). Idempotent. */
  async init(): Promise<this> {
    this.end ??= await this.open();
    return this;
  }

  /** Sends `msg` (objects as JSON, strings as text). HTTP options: method, endpoint, headers_tag. */
  async send(msg: unknown, opts: Record<string, unknown> = {}): Promise<void> {
    if (!this.end) throw new QueueStateError(`${this.type} producer for "${this.queueName}": call init() before send()`);
    const { body, contentType } = encode(msg);
    // over HTTP, streamtools' headers_tag (default JSON) sets the content type
    await this.end.send(body, this.transport === 'http' ? opts : { contentType, ...opts });
  }
}

export class ConsumerLoop extends StreamtoolsEnd<TransportConsumer> {
  #pending: StreamtoolsHandler | undefined;
  #handled = false;

  constructor(type: string, queueName: string, opts: StreamtoolsOptions = {}) {
    super('consumer', type, queueName, opts);
  }

  async init(): Promise<this> {
    if (this.end) return this;
    this.end = await this.open();
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) await this.#listen(pending);
    return this;
  }

  /**
   * Starts calling `fn` for each message (the decorator-free `@consumer()`); resolves once subscribed. One handler
   * per loop: a second is TSPOP_ERR_QUEUE_STATE (it would consume beside the first, unseen).
   */
  async handler(fn: StreamtoolsHandler): Promise<void> {
    if (typeof fn !== 'function') throw new QueueConfigError(`${this.type} consumer for "${this.queueName}": the handler must be a function`);
    if (this.#handled) throw new QueueStateError(`${this.type} consumer for "${this.queueName}" already has a handler; make another consumer loop for another one`);
    this.#handled = true;
    if (!this.end) {
      // registered before init() (a class decorator runs at definition time): starts when init() runs
      this.#pending = fn;
      return;
    }
    await this.#listen(fn);
  }

  async #listen(fn: StreamtoolsHandler): Promise<void> {
    const handle: MessageHandler = (m) => fn(decode(m), m);
    try {
      await (this.end as TransportConsumer).listen(handle);
    } catch (err) {
      this.#handled = false;
      throw err;
    }
  }

  /** A method decorator: `@loop.consumer() async onOrder(msg) {}` (legacy or standard decorators). */
  consumer(): MethodDecoratorLike {
    return consumer(this);
  }

  /** The port an HTTP consumer listens on. */
  get port(): number | undefined {
    return (this.end as { port?: number } | undefined)?.port;
  }

  get inFlight(): number {
    return this.end?.inFlight ?? 0;
  }

  /** Takes no new messages and waits for the handlers running. */
  async stop(): Promise<void> {
    await this.end?.stop();
  }
}

type MethodDecoratorLike = (target: unknown, context: unknown, descriptor?: PropertyDescriptor) => void;

/**
 * `@consumer(loop)` on a class method: the method handles the loop's messages. With standard decorators the
 * method is bound to each instance created; with TypeScript's legacy decorators (experimentalDecorators) it is
 * called on the class's prototype (static methods: on the class).
 */
export function consumer(loop: ConsumerLoop): MethodDecoratorLike {
  return (target, context, descriptor) => {
    if (descriptor && typeof descriptor.value === 'function') {
      const fn = descriptor.value as StreamtoolsHandler;
      void loop.handler((msg, m) => fn.call(target, msg, m));
      return;
    }
    const ctx = context as { kind?: string; addInitializer?: (f: (this: unknown) => void) => void; static?: boolean };
    if (ctx?.kind === 'method' && typeof target === 'function') {
      const fn = target as StreamtoolsHandler;
      let bound = false;
      ctx.addInitializer?.(function init(this: unknown) {
        // the loop has one handler: the first instance made gets the messages
        if (bound) return;
        bound = true;
        void loop.handler((msg, m) => fn.call(this, msg, m));
      });
      return;
    }
    throw new QueueConfigError('consumer(): use it on a class method');
  };
}

type ProducerClass = new (queueName: string, opts?: StreamtoolsOptions) => Producer;
type ConsumerLoopClass = new (queueName: string, opts?: StreamtoolsOptions) => ConsumerLoop;

function registry<T>(make: (type: string) => T): Record<string, T> {
  const cache = new Map<string, T>();
  const get = (type: string): T => {
    let cls = cache.get(type);
    if (!cls) cache.set(type, (cls = make(type)));
    return cls;
  };
  const known = [...BUILTIN_TRANSPORTS, ...Object.keys(STREAMTOOLS_ALIASES)];
  return new Proxy({} as Record<string, T>, {
    get: (_t, key) => (typeof key === 'string' && key !== 'then' && key !== 'toJSON' ? get(key) : undefined),
    has: (_t, key) => typeof key === 'string' && known.includes(key),
    ownKeys: () => known,
    getOwnPropertyDescriptor: (_t, key) => (typeof key === 'string' && known.includes(key) ? { enumerable: true, configurable: true, value: get(key) } : undefined),
  });
}

/**
 * Producer classes by transport name (amqp, http, nats, disk, memory, a host's own transport) or streamtools'
 * handler name (RMQIOHandler, HTTPHandler, POSTHandler, KafkaHandler, AsyncIOHandler). An unknown name fails
 * at init() with TSPOP_ERR_QUEUE_TRANSPORT_NOT_FOUND.
 */
export const PRODUCERS: Record<string, ProducerClass> = registry((type) => {
  const cls = class extends Producer {
    constructor(queueName: string, opts?: StreamtoolsOptions) {
      super(type, queueName, opts);
    }
  };
  Object.defineProperty(cls, 'name', { value: `${type}Producer` });
  return cls;
});

export const CONSUMER_LOOPS: Record<string, ConsumerLoopClass> = registry((type) => {
  const cls = class extends ConsumerLoop {
    constructor(queueName: string, opts?: StreamtoolsOptions) {
      super(type, queueName, opts);
    }
  };
  Object.defineProperty(cls, 'name', { value: `${type}ConsumerLoop` });
  return cls;
});
