/** streamtools' helpers: HandlerFactory (producer/consumer pairs per queue), ConsumerFactory, ConsumerRunner. */
import { QueueConfigError } from '../_errors.ts';
import { describeError } from '../../../src/errors.ts';
import type { Logger } from '../../../src/types.ts';
import { createConsoleLogger } from '../../../src/logger.ts';
import { CONSUMER_LOOPS, PRODUCERS, type ConsumerLoop, type Producer, type StreamtoolsHandler, type StreamtoolsOptions } from './streamtools.ts';

/** One entry of the "messages queues" object: `{ name, consumer_loop, producer }` (transports may differ). */
export interface MessageQueueConfig {
  readonly name: string;
  readonly consumer_loop: string;
  readonly producer: string;
  /** Transport options for both ends (port, servers, exchange ...). */
  readonly options?: Record<string, unknown>;
}

/** A producer/consumer pair on one queue (streamtools' HandleMsgs). */
export interface HandleMsgs {
  readonly label: string;
  readonly queueName: string;
  readonly consumer_loop: ConsumerLoop;
  readonly producer: Producer;
  /** [consumer_loop, producer], as streamtools' `handles`. */
  readonly handles: readonly [ConsumerLoop, Producer];
}

export class HandlerFactory {
  readonly configs: Readonly<Record<string, MessageQueueConfig>>;
  readonly handlers: Readonly<Record<string, HandleMsgs>>;

  constructor(queues: Record<string, MessageQueueConfig>, opts: StreamtoolsOptions = {}) {
    if (typeof queues !== 'object' || queues === null) throw new QueueConfigError('HandlerFactory: expected the messages queues object { label: { name, consumer_loop, producer } }');
    const handlers: Record<string, HandleMsgs> = {};
    for (const [label, q] of Object.entries(queues)) {
      for (const k of ['name', 'consumer_loop', 'producer'] as const) {
        if (typeof q?.[k] !== 'string' || q[k] === '') throw new QueueConfigError(`HandlerFactory: queue "${label}" needs a string "${k}"`);
      }
      const o = { ...opts, ...q.options };
      const c = new CONSUMER_LOOPS[q.consumer_loop]!(q.name, o);
      const p = new PRODUCERS[q.producer]!(q.name, o);
      handlers[label] = Object.freeze({ label, queueName: q.name, consumer_loop: c, producer: p, handles: [c, p] as const });
    }
    this.configs = Object.freeze({ ...queues });
    this.handlers = Object.freeze(handlers);
  }

  /** Initialises every pair, consumers first (an HTTP consumer must listen before its producer sends). */
  async init(): Promise<this> {
    for (const h of Object.values(this.handlers)) await h.consumer_loop.init();
    for (const h of Object.values(this.handlers)) {
      // streamtools' producer learns the port of its queue's HTTP consumer
      const port = h.consumer_loop.port;
      if (port && h.producer.transport === 'http' && !h.producer.initialized) h.producer.configure({ port });
      await h.producer.init();
    }
    return this;
  }

  async close(): Promise<void> {
    for (const h of Object.values(this.handlers)) {
      await h.consumer_loop.close();
      await h.producer.close();
    }
  }
}

export class ConsumerFactory {
  readonly queueType: string;
  readonly port: number | undefined;
  readonly instances: ConsumerLoop[] = [];
  readonly handlers: StreamtoolsHandler[] = [];
  readonly #opts: StreamtoolsOptions;

  constructor(queueType: string, opts: StreamtoolsOptions & { port?: number } = {}) {
    if (typeof queueType !== 'string' || queueType === '') throw new QueueConfigError('ConsumerFactory: the queue type must be a transport name');
    this.queueType = queueType;
    this.port = opts.port;
    const { port: _port, ...rest } = opts;
    this.#opts = rest;
  }

  /** `consumers.route('queue_1', async (msg) => ...)`, or as a decorator factory: `consumers.route('queue_1')(fn)`. */
  route(name: string, handler: StreamtoolsHandler): StreamtoolsHandler;
  route(name: string): (handler: StreamtoolsHandler) => StreamtoolsHandler;
  route(name: string, handler?: StreamtoolsHandler): StreamtoolsHandler | ((h: StreamtoolsHandler) => StreamtoolsHandler) {
    const add = (h: StreamtoolsHandler): StreamtoolsHandler => {
      if (typeof h !== 'function') throw new QueueConfigError(`ConsumerFactory.route("${name}"): the handler must be a function`);
      const loop = new CONSUMER_LOOPS[this.queueType]!(name, this.#opts);
      // `port` is streamtools' HTTP server port: an AMQP or NATS loop must not take it for its broker's
      if (this.port !== undefined && loop.transport === 'http') loop.configure({ port: this.port });
      this.instances.push(loop);
      this.handlers.push(h);
      return h;
    };
    return handler ? add(handler) : add;
  }
}

export interface ConsumerRunnerOptions {
  readonly consumers: readonly ConsumerLoop[];
  readonly handlers: readonly StreamtoolsHandler[];
  readonly port?: number;
  readonly host?: string;
  /** Stop on these signals (default SIGINT and SIGTERM); [] for none. */
  readonly signals?: readonly NodeJS.Signals[];
  readonly logger?: Logger;
}

/**
 * Starts consumers[i] with handlers[i]. `run()` resolves once every consumer stopped: on SIGINT/SIGTERM (or
 * `stop()`) they take no new messages, the handlers already running finish, then the consumers close.
 */
export class ConsumerRunner {
  readonly consumers: readonly ConsumerLoop[];
  readonly handlers: readonly StreamtoolsHandler[];
  readonly port: number;
  readonly host: string | undefined;
  readonly #signals: readonly NodeJS.Signals[];
  readonly #log: Logger;
  readonly #serve: { port?: number; host?: string };
  #stopped: Promise<void> | undefined;
  #release: (() => void) | undefined;
  #started: Promise<void> | undefined;

  constructor(opts: ConsumerRunnerOptions) {
    if (!Array.isArray(opts?.consumers) || !Array.isArray(opts?.handlers) || opts.consumers.length !== opts.handlers.length) {
      throw new QueueConfigError('ConsumerRunner: consumers and handlers must be lists of the same length (ConsumerFactory.instances / .handlers)');
    }
    this.consumers = opts.consumers;
    this.handlers = opts.handlers;
    this.port = opts.port ?? 9000;
    this.host = opts.host;
    // given explicitly, the runner's port and host are where its HTTP consumers serve (as streamtools' runner)
    this.#serve = { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host !== undefined ? { host: opts.host } : {}) };
    this.#signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
    this.#log = opts.logger ?? createConsoleLogger();
  }

  /** Resolves when every consumer is listening. */
  started(): Promise<void> {
    return this.#started ?? Promise.resolve();
  }

  async run(): Promise<void> {
    const done = new Promise<void>((r) => (this.#release = r));
    const onSignal = (sig: NodeJS.Signals) => {
      this.#log.info(`consumer runner: ${sig}, finishing the messages in hand`);
      void this.stop();
    };
    for (const s of this.#signals) process.on(s, onSignal);
    try {
      this.#started = (async () => {
        for (let i = 0; i < this.consumers.length; i++) {
          const c = this.consumers[i] as ConsumerLoop;
          if (c.transport === 'http' && !c.initialized && Object.keys(this.#serve).length > 0) c.configure(this.#serve);
          await c.init();
          await c.handler(this.handlers[i] as StreamtoolsHandler);
        }
      })();
      await this.#started;
      this.#log.info('consumer runner: consuming', { consumers: this.consumers.map((c) => `${c.type}:${c.queueName}`).join(', ') });
      await done;
    } finally {
      for (const s of this.#signals) process.off(s, onSignal);
    }
    await this.#stopped;
  }

  /** Stops every consumer (in-flight handlers finish), then closes them. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#started?.catch(() => undefined);
      await Promise.all(this.consumers.map((c) => c.stop().catch((err: unknown) => this.#log.warn('consumer runner: stop failed', { error: describeError(err) }))));
      await Promise.all(this.consumers.map((c) => c.close().catch(() => undefined)));
      this.#release?.();
    })();
    return this.#stopped;
  }
}
