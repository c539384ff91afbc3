/**
 * The requesting side (dl-agent, dragonfly get/set/cmd): one exclusive auto-delete reply queue bound on the
 * requests exchange to its own name, requests published mandatory (nothing bound: 403), replies matched by
 * correlation id and reassembled from their chunks, a timeout per request (404). Broadcast requests collect
 * every reply that arrives within the timeout.
 */
import { randomUUID } from 'node:crypto';
import { DriplineClosedError, DriplineReplyError, DriplineTimeoutError, replyError } from '../_errors.ts';
import { Reassembler, parseMessageId } from './chunks.ts';
import { decodeMessage, encodeMessage, type AmqpIncoming } from './codec.ts';
import { NIL_KEY, formatLockoutKey, parseLockoutKey } from './lockout.ts';
import { exchangeSpec, queueSpec, type LinkConsumer, type MeshLink } from './mesh-link.ts';
import type { MeshConfig } from './mesh.ts';
import { Op, type DriplineReply, type DriplineRequest, type OpName } from './message.ts';
import { ReturnCode } from './return-codes.ts';
import { senderInfo } from './sender-info.ts';
import { driplineTimestamp } from './timestamp.ts';

export interface RequestOptions {
  readonly specifier?: string;
  readonly payload?: unknown;
  /** 32 hex digits (dashes allowed); '' for none. */
  readonly lockoutKey?: string;
  /** Default 10000 (dl-agent's 10 s). */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly replies: DriplineReply[];
  readonly multi: boolean;
  resolve(replies: DriplineReply[]): void;
  reject(err: unknown): void;
}

export class DriplineClient {
  readonly #link: MeshLink;
  readonly #mesh: MeshConfig;
  readonly #name: string;
  readonly #replyQueue: string;
  readonly #pending = new Map<string, Pending>();
  readonly #reassembler = new Reassembler<AmqpIncoming>(5000, () => undefined);
  #consumer: LinkConsumer | undefined;
  #closed = false;

  private constructor(link: MeshLink, mesh: MeshConfig, name: string, replyQueue: string) {
    this.#link = link;
    this.#mesh = mesh;
    this.#name = name;
    this.#replyQueue = replyQueue;
  }

  /** Declares the reply queue and starts consuming on it. `name` is the sender_info service_name. */
  static async open(link: MeshLink, mesh: MeshConfig, name: string): Promise<DriplineClient> {
    const [queue] = await link.declare({ exchanges: [exchangeSpec(mesh.requests_exchange)], queues: [queueSpec('')] });
    await link.declare({ bindings: [{ queue: queue as string, exchange: mesh.requests_exchange, routingKey: queue as string }] });
    const client = new DriplineClient(link, mesh, name, queue as string);
    client.#consumer = await link.consume(queue as string, (msg) => client.#receive(msg), { noAck: true });
    return client;
  }

  get replyQueue(): string {
    return this.#replyQueue;
  }

  /** Sends a request and resolves with its reply (any return code); rejects 403/404/101 as coded errors. */
  async request(target: string, op: OpName | number, opts: RequestOptions = {}): Promise<DriplineReply> {
    const [reply] = await this.#send(target, op, opts, false);
    return reply as DriplineReply;
  }

  /** A broadcast (or any request several services answer): every reply within the timeout, maybe none. */
  requestAll(target: string, op: OpName | number, opts: RequestOptions = {}): Promise<DriplineReply[]> {
    return this.#send(target, op, opts, true);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reassembler.clear();
    for (const p of this.#pending.values()) p.reject(new DriplineClosedError('the dripline client was closed before the reply arrived'));
    this.#pending.clear();
    await this.#consumer?.cancel().catch(() => undefined);
  }

  async #send(target: string, op: OpName | number, opts: RequestOptions, multi: boolean): Promise<DriplineReply[]> {
    if (this.#closed) throw new DriplineClosedError('the dripline client is closed');
    const key = parseLockoutKey(opts.lockoutKey ?? '');
    if (key === undefined) throw replyError(DriplineReplyError, ReturnCode.client_error, `lockout key ${JSON.stringify(opts.lockoutKey)} is not 32 hex digits (dashes allowed)`);
    const req: DriplineRequest = {
      type: 'request', routingKey: target, correlationId: randomUUID(), messageId: randomUUID(), replyTo: this.#replyQueue,
      specifier: opts.specifier ?? '', timestamp: driplineTimestamp(), senderInfo: senderInfo(this.#name), payload: opts.payload,
      operation: typeof op === 'number' ? op : Op[op], lockoutKey: key === NIL_KEY ? '' : formatLockoutKey(key),
    };
    const timeoutMs = opts.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<DriplineReply[]>((resolve, reject) => {
      this.#pending.set(req.correlationId, { replies: [], multi, resolve, reject });
      timer = setTimeout(() => {
        const p = this.#pending.get(req.correlationId);
        this.#pending.delete(req.correlationId);
        if (multi) return resolve(p?.replies ?? []);
        reject(new DriplineTimeoutError(`no reply from ${target} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
    try {
      for (const part of encodeMessage(req, this.#mesh.max_payload_size)) await this.#link.publish(this.#mesh.requests_exchange, target, part, true);
    } catch (err) {
      this.#pending.get(req.correlationId)?.reject(err);
      this.#pending.delete(req.correlationId);
    }
    try {
      return await done;
    } finally {
      clearTimeout(timer);
    }
  }

  #receive(msg: AmqpIncoming): void {
    let id;
    try {
      id = parseMessageId(msg.properties.messageId);
    } catch {
      return;
    }
    const whole = this.#reassembler.add(id, msg);
    if (!whole) return;
    const { message } = decodeMessage(whole);
    if (message?.type !== 'reply') return;
    const p = this.#pending.get(message.correlationId);
    if (!p) return; // late (timed out) or for another request
    p.replies.push(message);
    if (!p.multi) {
      this.#pending.delete(message.correlationId);
      p.resolve(p.replies);
    }
  }
}
