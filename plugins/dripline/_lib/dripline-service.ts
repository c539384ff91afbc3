/**
 * One running dripline service (dripline-cpp's service + dripline-python's Service): a queue named after the
 * service, bound on the requests exchange to `<name>.#`, `broadcast.#` and `<endpoint>.#` for each endpoint;
 * each request is reassembled from its chunks, decoded, routed by the first token of its routing key and
 * answered on `requests` with routing key = its reply_to. Requests are handled one at a time in arrival order
 * (as dripline-cpp's single listener), so a set followed by a get sees the set. Heartbeats go to
 * `<heartbeat_routing_key>.<name>` on alerts. Nothing an endpoint or a peer sends can stop the service.
 */
import { randomUUID } from 'node:crypto';
import { describeError } from '../../../src/describe-error.ts';
import type { Logger } from '../../../src/types.ts';
import { DriplineClosedError, DriplineConfigError, returnCodeOf } from '../_errors.ts';
import type { BuiltEndpoint } from './build-endpoints.ts';
import { Reassembler, parseMessageId } from './chunks.ts';
import { decodeMessage, encodeMessage, type AmqpIncoming, type UndecodableMessage } from './codec.ts';
import { dispatch, type ReplyParts, type Target } from './dispatch.ts';
import { exchangeSpec, queueSpec, type LinkConsumer, type MeshLink } from './mesh-link.ts';
import type { MeshConfig } from './mesh.ts';
import { MsgType, type DriplineAlert, type DriplineReply, type DriplineRequest } from './message.ts';
import { ReturnCode } from './return-codes.ts';
import { senderInfo } from './sender-info.ts';
import { driplineTimestamp } from './timestamp.ts';

export interface ServiceOptions {
  readonly name: string;
  readonly endpoints: ReadonlyMap<string, BuiltEndpoint>;
  readonly mesh: MeshConfig;
  readonly heartbeatIntervalS: number;
  /** Extra binding keys (dragonfly serve -k). */
  readonly extraKeys?: readonly string[];
  /** Scheduled logging of entities starts with the service (dl-serve's enable_scheduling). */
  readonly enableScheduling?: boolean;
  /** How long a split message may wait for its missing chunks. */
  readonly chunkTimeoutMs?: number;
  readonly log: Logger;
}

export class DriplineService {
  readonly name: string;
  /** Identifies this run in heartbeats (dripline-cpp's service id). */
  readonly id = randomUUID();
  readonly stats = { requests: 0, replies: 0, invalid: 0, alerts: 0, heartbeats: 0 };
  readonly #o: ServiceOptions;
  readonly #targets = new Map<string, Target>();
  readonly #reassembler: Reassembler<AmqpIncoming>;
  #link: MeshLink | undefined;
  #consumer: LinkConsumer | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #state: 'built' | 'starting' | 'running' | 'stopped' = 'built';

  constructor(o: ServiceOptions) {
    this.#o = o;
    this.name = o.name;
    const own = o.endpoints.get(o.name);
    if (!own) throw new DriplineClosedError(`service ${o.name} has no endpoint of its own`);
    for (const [name, built] of o.endpoints) {
      const locks = name === o.name ? [own.lock] : [own.lock, built.lock];
      this.#targets.set(name, { endpoint: built.endpoint, lock: built.lock, locks });
    }
    this.#reassembler = new Reassembler(o.chunkTimeoutMs ?? 5000, (parts) => this.#enqueue(parts));
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Endpoint names, the service's own first. */
  get endpointNames(): string[] {
    return [...this.#targets.keys()];
  }

  /** The binding keys the service queue gets. */
  bindingKeys(): string[] {
    return [...new Set([`${this.name}.#`, 'broadcast.#', ...[...this.#targets.keys()].map((n) => `${n}.#`), ...(this.#o.extraKeys ?? [])])];
  }

  /** Declares, binds and consumes on `link`; starts heartbeats and the endpoints' own timers. */
  async start(link: MeshLink): Promise<void> {
    if (this.#state !== 'built') throw new DriplineClosedError(`service ${this.name} was already started`);
    this.#state = 'starting';
    this.#link = link;
    const m = this.#o.mesh;
    try {
      await link.declare({
        exchanges: [exchangeSpec(m.requests_exchange), exchangeSpec(m.alerts_exchange)],
        queues: [queueSpec(this.name)],
        bindings: this.bindingKeys().map((routingKey) => ({ queue: this.name, exchange: m.requests_exchange, routingKey })),
      });
    } catch (err) {
      if ((err as { replyCode?: unknown }).replyCode === 405) {
        throw new DriplineConfigError(`a service named ${this.name} is already running on this mesh (${link.label}): the broker holds its exclusive queue for another connection`, { cause: err });
      }
      throw err;
    }
    this.#consumer = await link.consume(this.name, (msg) => this.#receive(msg), { noAck: false, prefetch: 50 });
    if (this.#o.enableScheduling !== false) {
      for (const t of this.#targets.values()) await t.endpoint.start?.();
    }
    if (this.#o.heartbeatIntervalS > 0) {
      this.#heartbeat = setInterval(() => void this.#sendHeartbeat(), this.#o.heartbeatIntervalS * 1000);
      this.#heartbeat.unref();
    }
    this.#state = 'running';
    this.#o.log.info(`dripline: service ${this.name} is consuming`, { endpoints: this.endpointNames.join(','), broker: link.label });
  }

  /** Stops consuming, lets the request being handled finish, stops endpoint timers. Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    clearInterval(this.#heartbeat);
    this.#reassembler.clear();
    await this.#consumer?.cancel().catch((err: unknown) => this.#o.log.warn('dripline: cancelling the service consumer failed', { error: describeError(err) }));
    await this.#chain;
    for (const t of this.#targets.values()) {
      try {
        await t.endpoint.stop?.();
      } catch (err) {
        this.#o.log.warn(`dripline: endpoint ${t.endpoint.name} failed to stop`, { error: describeError(err) });
      }
    }
  }

  /** Answers one request as the service would (routing, lockout, endpoint rules), without the wire. */
  async process(req: DriplineRequest): Promise<ReplyParts> {
    const dot = req.routingKey.indexOf('.');
    const first = dot < 0 ? req.routingKey : req.routingKey.slice(0, dot);
    // dripline v2 put the specifier in the routing key (peaches.calibration); v3 sends it as a header
    const specifier = req.specifier || (dot < 0 ? '' : req.routingKey.slice(dot + 1));
    const target = this.#targets.get(first === 'broadcast' ? this.name : first);
    if (!target) return { returnCode: ReturnCode.amqp_error_routingkey_notfound, returnMessage: `service ${this.name} has no endpoint ${first}` };
    return dispatch(target, { ...req, specifier });
  }

  /** Publishes an alert on the alerts exchange (endpoints' log_on_set and scheduled logs come here). */
  async alert(routingKey: string, payload: unknown): Promise<void> {
    const link = this.#link;
    if (!link || this.#state === 'stopped') throw new DriplineClosedError(`service ${this.name} is not running; alert ${routingKey} was not sent`);
    const msg: DriplineAlert = {
      type: 'alert', routingKey, correlationId: randomUUID(), messageId: randomUUID(), replyTo: '', specifier: '',
      timestamp: driplineTimestamp(), senderInfo: senderInfo(this.name), payload,
    };
    for (const part of encodeMessage(msg, this.#o.mesh.max_payload_size)) await link.publish(this.#o.mesh.alerts_exchange, routingKey, part, false);
    this.stats.alerts++;
  }

  #receive(msg: AmqpIncoming): Promise<void> | void {
    let id;
    try {
      id = parseMessageId(msg.properties.messageId);
    } catch {
      return this.#enqueue([msg]); // decodeMessage reports the malformed id
    }
    const whole = this.#reassembler.add(id, msg);
    if (whole) return this.#enqueue(whole);
  }

  /**
   * Requests are handled one at a time, in order; a reply's publish is not waited for before the next request is
   * handled (the publisher keeps the order), only before the request is acknowledged. Never rejects: a message
   * that breaks handling is logged and acknowledged, not redelivered forever.
   */
  #enqueue(parts: (AmqpIncoming | undefined)[]): Promise<void> {
    const handled = this.#chain.then(() => this.#handle(parts));
    this.#chain = handled.then(() => undefined, () => undefined);
    return handled.then((r) => r.sending).catch((err: unknown) => {
      this.#o.log.error(`dripline: service ${this.name} failed to handle a message`, { error: describeError(err) });
    });
  }

  /** Handles one whole message; `sending` settles when its reply (if any) is confirmed. */
  async #handle(parts: (AmqpIncoming | undefined)[]): Promise<{ sending?: Promise<void> }> {
    const decoded = decodeMessage(parts);
    if (decoded.invalid) return { sending: this.#answerInvalid(decoded.invalid) };
    const msg = decoded.message;
    if (msg.type !== 'request') {
      this.#o.log.debug(`dripline: service ${this.name} ignores a ${msg.type} on its queue`, { routingKey: msg.routingKey });
      return {};
    }
    this.stats.requests++;
    const reply = await this.process(msg);
    return { sending: this.#reply(msg.replyTo, msg.correlationId, msg.specifier, reply) };
  }

  async #answerInvalid(bad: UndecodableMessage): Promise<void> {
    this.stats.invalid++;
    this.#o.log.warn(`dripline: service ${this.name} got a message it cannot decode: ${bad.reason}`, { routingKey: bad.routingKey });
    if (bad.messageType === MsgType.reply || bad.messageType === MsgType.alert) return;
    const payload = { invalid: bad.body.length > 2000 ? `${bad.body.slice(0, 2000)}...` : bad.body, error: bad.reason };
    await this.#reply(bad.replyTo, bad.correlationId, bad.specifier, { returnCode: bad.returnCode, returnMessage: bad.reason, payload });
  }

  async #reply(replyTo: string, correlationId: string, specifier: string, parts: ReplyParts): Promise<void> {
    const link = this.#link;
    if (!replyTo || !link) {
      this.#o.log.warn(`dripline: not replying (no reply_to) with ${parts.returnCode}: ${parts.returnMessage}`);
      return;
    }
    const reply: DriplineReply = {
      type: 'reply', routingKey: replyTo, correlationId, messageId: randomUUID(), replyTo: '', specifier,
      timestamp: driplineTimestamp(), senderInfo: senderInfo(this.name), payload: parts.payload,
      returnCode: parts.returnCode, returnMessage: parts.returnMessage,
    };
    try {
      for (const part of encodeMessage(reply, this.#o.mesh.max_payload_size)) await link.publish(this.#o.mesh.requests_exchange, replyTo, part, false);
      this.stats.replies++;
    } catch (err) {
      // the requester may be gone (its reply queue auto-deleted): the service goes on
      this.#o.log.warn(`dripline: reply to ${replyTo} failed`, { error: describeError(err), returnCode: returnCodeOf(err) });
    }
  }

  async #sendHeartbeat(): Promise<void> {
    try {
      await this.alert(`${this.#o.mesh.heartbeat_routing_key}.${this.name}`, { name: this.name, id: this.id });
      this.stats.heartbeats++;
    } catch (err) {
      this.#o.log.warn(`dripline: heartbeat of ${this.name} failed`, { error: describeError(err) });
    }
  }
}
