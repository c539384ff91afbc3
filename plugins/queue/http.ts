/**
 * hub.queue.http — messages as HTTP requests (streamtools' HTTP producer and consumer).
 *
 * Producer options: `queue` (the default route), `host` (HTTP_HOST, default 127.0.0.1), `port` (HTTP_PORT,
 * default 9000), `endpoint` (a full URL instead of host/port/queue), `retries` (3: temporary failures — 408, 429,
 * 5xx, network — are retried with backoff), `timeoutMs` (20000). `send(msg, opts)` takes streamtools' options:
 * `method` (POST), `endpoint`, `headers_tag` (JSON -> application/json, SSI -> application/ssi-agent-wire,
 * TEXT -> text/plain). It resolves on a 2xx and rejects with TSPOP_ERR_QUEUE_SEND otherwise.
 *
 * Consumer options: `queue` (served at `/<queue>`), `port` (0: a free one; consumers sharing a port share one
 * server), `host` (127.0.0.1), `method` (POST). A handler that resolves answers 202; one that throws answers
 * 503, so the sender retries. With `wire: 'ramen'` and `authToken` the consumer is a ramen receiving server
 * (see _lib/ramen/wire.ts): it serves /api/v1/<category>/<type>/<version>, checks the token, un-gzips, and
 * drops a repeated request id for the same path (202 {"code":"DUPLICATE"}).
 */
import type { IncomingMessage } from 'node:http';
import type { Hub } from '../../src/index.ts';
import { TspopError, describeError } from '../../src/errors.ts';
import { QueueClosedError, QueueConfigError, QueueSendError } from './_errors.ts';
import { InFlight } from './_lib/in-flight.ts';
import { optionalString, positiveInt, queueName, toBuffer } from './_lib/options.ts';
import { httpClient } from './_lib/http/client.ts';
import { RouteServers, type HttpReply } from './_lib/http/route-server.ts';
import { readRequestBody } from './_lib/ramen/wire.ts';
import type { MessageHandler, QueueMessage, SendOptions, TransportConsumer, TransportOptions, TransportProducer } from './_lib/types.ts';

export const HEADERS_TAGS: Readonly<Record<string, string>> = { JSON: 'application/json', SSI: 'application/ssi-agent-wire', TEXT: 'text/plain' };

export function __init__(hub: Hub): void {
  hub._.SERVERS = new RouteServers(hub.log);
}

function route(queue: string): string {
  return `/${queue.replace(/^\/+/, '')}`;
}

export async function producer(hub: Hub, opts: TransportOptions): Promise<TransportProducer> {
  const where = 'queue http producer';
  const queue = queueName(where, opts);
  const host = optionalString(where, 'host', opts.host) ?? process.env.HTTP_HOST ?? '127.0.0.1';
  const port = positiveInt(where, 'port', opts.port ?? process.env.HTTP_PORT, 9000);
  const base = optionalString(where, 'endpoint', opts.endpoint) ?? `http://${host}:${port}${route(queue)}`;
  const retries = opts.retries === 0 ? 0 : positiveInt(where, 'retries', opts.retries, 3);
  const timeoutMs = positiveInt(where, 'timeoutMs', opts.timeoutMs, 20_000);
  const client = await httpClient(hub, where);
  let closed = false;
  return {
    transport: 'http',
    async send(body: Buffer | string, o: SendOptions = {}): Promise<void> {
      if (closed) throw new QueueClosedError(`http producer for "${queue}" is closed`);
      const method = optionalString(where, 'method', o.method) ?? 'POST';
      const url = optionalString(where, 'endpoint', o.endpoint) ?? base;
      const tag = optionalString(where, 'headers_tag', o.headers_tag) ?? 'JSON';
      const contentType = o.contentType ?? HEADERS_TAGS[tag.toUpperCase()];
      if (!contentType) throw new QueueConfigError(`${where}: headers_tag "${tag}" is not one of ${Object.keys(HEADERS_TAGS).join(', ')}`);
      const headers: Record<string, string> = { 'content-type': contentType };
      for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = String(v);
      if (o.id) headers['x-request-id'] = o.id;
      // temporary failures (408, 425, 429, 5xx, network, timeout) are retried by the shared client; others refuse at once
      await client.request(url, { method, headers, body: toBuffer(body), timeoutMs, retries, retryDelayMs: 100, maxRetryDelayMs: 3000, label: where }).catch((err: unknown) => {
        if (!TspopError.is(err) || !err.code.startsWith('TSPOP_ERR_HTTP_')) throw err;
        if (err.code === 'TSPOP_ERR_HTTP_OPTIONS') throw new QueueConfigError(err.message, { cause: err });
        throw new QueueSendError(err.message, { cause: err });
      });
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

export async function consumer(hub: Hub, opts: TransportOptions): Promise<TransportConsumer> {
  const where = 'queue http consumer';
  const queue = queueName(where, opts);
  const host = optionalString(where, 'host', opts.host) ?? '127.0.0.1';
  const port = opts.port === 0 || opts.port === '0' ? 0 : positiveInt(where, 'port', opts.port, 9000);
  const method = (optionalString(where, 'method', opts.method) ?? 'POST').toUpperCase();
  const wire = optionalString(where, 'wire', opts.wire) ?? 'plain';
  if (wire !== 'plain' && wire !== 'ramen') throw new QueueConfigError(`${where}: option "wire" must be "plain" or "ramen", got "${wire}"`);
  const authToken = optionalString(where, 'authToken', opts.authToken);
  if (wire === 'ramen' && !authToken) throw new QueueConfigError(`${where}: a ramen receiving server needs option "authToken"`);
  const servers = hub._.SERVERS as RouteServers;
  const inFlight = new InFlight();
  const seen = new RecentIds(100_000);
  let remove: (() => Promise<void>) | undefined;
  let stopping = false;
  const state = { port: 0 };

  async function plain(handler: MessageHandler, req: IncomingMessage, body: Buffer): Promise<HttpReply> {
    const id = header(req, 'x-request-id');
    return deliver(handler, { queue, body, contentType: header(req, 'content-type'), headers: { ...req.headers }, id, routingKey: undefined, redelivered: false, deliveryCount: 1, raw: req });
  }

  async function ramen(handler: MessageHandler, req: IncomingMessage, body: Buffer, path: string): Promise<HttpReply> {
    if (header(req, 'authorization') !== `Token ${authToken}`) return { status: 401, body: '{"code":"UNAUTHORIZED","details":"bad or missing token"}' };
    let text: string;
    let env: Record<string, unknown>;
    try {
      text = readRequestBody(body, header(req, 'content-encoding'));
      env = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { status: 400, body: '{"code":"BAD_REQUEST","details":"the body is not (gzipped) JSON"}' };
    }
    const reqid = header(req, 'x-ramen-request-id') ?? String(env.reqid ?? '');
    if (reqid && seen.has(`${path} ${reqid}`)) return { status: 202, body: '{"code":"DUPLICATE"}' };
    const headers = { path, category: env.category, type: env.type, version: env.version, sender: env.sender, system_serial: env.system_serial, system_version: env.system_version };
    const reply = await deliver(handler, { queue, body: Buffer.from(text), contentType: 'application/json', headers, id: reqid || undefined, routingKey: path, redelivered: false, deliveryCount: 1, raw: req });
    if (reply.status === 202 && reqid) seen.add(`${path} ${reqid}`);
    return reply;
  }

  async function deliver(handler: MessageHandler, msg: QueueMessage): Promise<HttpReply> {
    if (stopping) return { status: 503, body: '{"code":"UNAVAILABLE","details":"the consumer is stopping"}' };
    try {
      await inFlight.run(() => handler(msg));
      return { status: 202, body: '{"code":"ACCEPTED"}' };
    } catch (err) {
      hub.log.warn('queue http: the handler failed; answering 503 so the sender retries', { queue, error: describeError(err) });
      return { status: 503, body: '{"code":"HANDLER_FAILED"}' };
    }
  }

  // the route is served from the start (so the port is known before listen()); until a handler is set it
  // answers 503 and senders retry
  let current: MessageHandler | undefined;
  const added = wire === 'ramen'
    ? await servers.add(host, port, '/api/v1', ['POST'], (req, body, path) => (current ? ramen(current, req, body, path) : notYet()))
    : await servers.add(host, port, route(queue), [method], (req, body) => (current ? plain(current, req, body) : notYet()));
  remove = added.remove;
  state.port = added.port;

  const stop = async (): Promise<void> => {
    stopping = true;
    await inFlight.idle();
    const r = remove;
    remove = undefined;
    current = undefined;
    await r?.();
  };
  return {
    transport: 'http',
    get inFlight() {
      return inFlight.count;
    },
    /** The port it listens on (useful with port 0). */
    get port() {
      return state.port;
    },
    async listen(handler: MessageHandler): Promise<void> {
      if (!remove) throw new QueueClosedError(`${where}: "${queue}" is closed`);
      if (current) throw new QueueConfigError(`${where}: "${queue}" already has a handler`);
      current = handler;
    },
    stop,
    close: stop,
  } as TransportConsumer & { readonly port: number };
}

async function notYet(): Promise<HttpReply> {
  return { status: 503, body: '{"code":"UNAVAILABLE","details":"no handler yet"}' };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The last `max` request ids seen, for de-duplication (insertion order = age). */
class RecentIds {
  readonly #ids = new Set<string>();
  constructor(readonly max: number) {}
  has(id: string): boolean {
    return this.#ids.has(id);
  }
  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value as string);
  }
}
