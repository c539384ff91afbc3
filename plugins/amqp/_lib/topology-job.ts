/**
 * Declares one topology plan on a connection: exchanges, then queues, then bindings, each on a scratch channel
 * (a failed declare makes the broker close the channel it ran on, never the connection).
 *
 * One exception needs care: RabbitMQ answers an exchange type it has no plugin for with a *connection* error
 * (503 COMMAND_INVALID), which would drop the shared connection for every user, again after every reconnect. So an
 * exchange of a non-builtin type is first declared once on a connection of its own.
 */
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { within, withTimeout } from '../../../src/with-timeout.ts';
import { AmqpExchangeTypeError, AmqpTopologyError } from '../_errors.ts';
import { replyCodeOf, replyTextOf, safeText } from './broker-error.ts';
import type { ConnectSettings } from './connect-settings.ts';
import { shutdownModel } from './shutdown-model.ts';
import { BUILTIN_EXCHANGE_TYPES, EXCHANGE_TYPE_PLUGINS, type ExchangeDecl, type QueueDecl, type TopologyPlan } from './topology-spec.ts';
import type { TopologyJob } from './shared-connection.ts';

/** How long one declare may wait for the broker's answer (RabbitMQ never answers some, e.g. on a leaderless quorum queue). */
export const DECLARE_TIMEOUT_MS = 30_000;

export class TopologyRunner implements TopologyJob {
  readonly #plan: TopologyPlan;
  readonly #timeoutMs: number;
  readonly #settings: ConnectSettings;
  /** Exchange types shared by every job of one connection, once probed. */
  readonly #knownTypes: Set<string>;

  constructor(plan: TopologyPlan, settings: ConnectSettings, knownTypes: Set<string>, timeoutMs = DECLARE_TIMEOUT_MS) {
    this.#plan = plan;
    this.#timeoutMs = timeoutMs;
    this.#settings = settings;
    this.#knownTypes = knownTypes;
  }

  async run(model: ChannelModel): Promise<void> {
    const scratch = new ScratchChannel(model);
    try {
      for (const x of this.#plan.exchanges) {
        if (x.mode === 'assert' && !BUILTIN_EXCHANGE_TYPES.has(x.type) && !this.#knownTypes.has(x.type)) await this.#probe(x);
        await this.#step(`exchange "${x.name}"`, async () => {
          const ch = await scratch.get();
          if (x.mode === 'check') await ch.checkExchange(x.name);
          else await ch.assertExchange(x.name, x.type, x.options);
        }, scratch);
      }
      for (const q of this.#plan.queues) await this.#queue(q, scratch);
      for (const b of this.#plan.bindings) {
        await this.#step(`binding of queue "${b.queue}" to exchange "${b.exchange}" with "${b.routingKey}"`, async () => {
          await (await scratch.get()).bindQueue(b.queue, b.exchange, b.routingKey, b.arguments);
        }, scratch);
      }
    } finally {
      await scratch.close();
    }
  }

  async #queue(q: QueueDecl, scratch: ScratchChannel): Promise<void> {
    const what = `queue "${q.name}"`;
    if (q.mode === 'assert') {
      await this.#step(what, async () => void (await (await scratch.get()).assertQueue(q.name, q.options)), scratch);
      return;
    }
    try {
      await this.#answered((async () => void (await (await scratch.get()).checkQueue(q.name)))());
      return;
    } catch (err) {
      scratch.lost();
      if (q.mode === 'check' || replyCodeOf(err) !== 404) throw this.#error(what, err);
    }
    // ensure: missing, so declare it; never re-declare one that exists with other arguments (PRECONDITION_FAILED)
    await this.#step(what, async () => void (await (await scratch.get()).assertQueue(q.name, q.options)), scratch);
  }

  async #step(what: string, fn: () => Promise<void>, scratch: ScratchChannel): Promise<void> {
    try {
      // a reconnect redeclares every topology in turn: one the broker never answers must not stall the others
      await this.#answered(fn());
    } catch (err) {
      scratch.lost();
      throw this.#error(what, err);
    }
  }

  #answered(p: Promise<void>): Promise<void> {
    return withTimeout(p, this.#timeoutMs, 'declare', () => new Error(`the broker did not answer within ${this.#timeoutMs} ms`));
  }

  #error(what: string, err: unknown): Error {
    const replyCode = replyCodeOf(err);
    const replyText = safeText(replyTextOf(err), this.#settings.secrets);
    return Object.assign(new AmqpTopologyError(`amqp ${this.#settings.label}: declaring ${what} failed: ${replyText}`, { cause: err }), { replyCode, replyText });
  }

  /** Declares `x` on a connection of its own: a missing exchange-type plugin fails there, not on the shared one. */
  async #probe(x: ExchangeDecl): Promise<void> {
    let model: ChannelModel | undefined;
    let lastErr: unknown;
    for (const b of this.#settings.brokers) {
      try {
        model = await connect(b.connect, this.#settings.socketOptions);
        break;
      } catch (err) {
        lastErr = err;
      }
    }
    if (!model) throw this.#error(`exchange "${x.name}" (probing type ${x.type})`, lastErr);
    let closedWith: unknown;
    model.on('error', () => undefined); // the 503 arrives as a connection error: expected here
    model.on('close', (err?: unknown) => (closedWith = err));
    try {
      const ch = await model.createChannel();
      ch.on('error', () => undefined);
      await ch.assertExchange(x.name, x.type, x.options);
      this.#knownTypes.add(x.type);
    } catch (err) {
      if (replyCodeOf(closedWith ?? err) === 503) {
        const plugin = EXCHANGE_TYPE_PLUGINS[x.type];
        throw Object.assign(new AmqpExchangeTypeError(
          `amqp ${this.#settings.label}: the broker does not know exchange type "${x.type}" (exchange "${x.name}")${plugin ? `; enable the ${plugin} plugin: rabbitmq-plugins enable ${plugin}` : '; enable the plugin that provides it'}`,
          { cause: closedWith ?? err },
        ), { replyCode: 503, replyText: replyTextOf(closedWith ?? err) });
      }
      throw this.#error(`exchange "${x.name}"`, closedWith ?? err);
    } finally {
      await shutdownModel(model, 500);
    }
  }
}

/** One channel reused across declares until one fails (the broker then closes it); a new one opens on demand. */
class ScratchChannel {
  readonly #model: ChannelModel;
  #ch: Promise<Channel> | undefined;

  constructor(model: ChannelModel) {
    this.#model = model;
  }

  get(): Promise<Channel> {
    this.#ch ??= this.#model.createChannel().then((ch) => {
      ch.on('error', () => undefined); // a failed declare closes it with the reason its RPC rejects with
      return ch;
    });
    return this.#ch;
  }

  lost(): void {
    this.#ch = undefined;
  }

  async close(): Promise<void> {
    const ch = this.#ch;
    this.#ch = undefined;
    // amqplib's channel close waits for close-ok forever when the socket died under it
    if (ch) await within(ch.then((c) => c.close()).catch(() => undefined), 1000);
  }
}
