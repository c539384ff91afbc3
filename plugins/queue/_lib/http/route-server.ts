/**
 * HTTP servers shared by the consumers of one hub: several consumers on one port (streamtools' ConsumerFactory
 * with one `port`) register routes on one server; the server closes when its last route is removed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../../../../src/errors.ts';
import type { Logger } from '../../../../src/types.ts';

export interface HttpReply {
  readonly status: number;
  readonly body?: string;
  readonly contentType?: string;
}

/** Handles one request to a route whose prefix matched; resolves to the reply. */
export type RouteHandler = (req: IncomingMessage, body: Buffer, path: string) => Promise<HttpReply>;

interface Route {
  readonly prefix: string;
  readonly methods: ReadonlySet<string>;
  readonly handler: RouteHandler;
}

interface Shared {
  readonly server: Server;
  readonly routes: Route[];
  readonly ready: Promise<number>;
}

export class RouteServers {
  readonly #servers = new Map<string, Shared>();
  readonly #log: Logger;
  readonly maxBodyBytes: number;

  constructor(log: Logger, maxBodyBytes = 64 * 1024 * 1024) {
    this.#log = log;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Adds a route on host:port (port 0: a free one); resolves to the port and a remover. */
  async add(host: string, port: number, prefix: string, methods: string[], handler: RouteHandler): Promise<{ port: number; remove: () => Promise<void> }> {
    const key = `${host}:${port}`;
    let shared = port === 0 ? undefined : this.#servers.get(key);
    if (!shared) {
      const routes: Route[] = [];
      const server = createServer((req, res) => void this.#serve(routes, req, res));
      const ready = new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
      shared = { server, routes, ready };
      const actual = await ready;
      this.#servers.set(`${host}:${actual}`, shared);
      if (port !== 0) this.#servers.set(key, shared);
    }
    const route: Route = { prefix, methods: new Set(methods.map((m) => m.toUpperCase())), handler };
    shared.routes.push(route);
    const s = shared;
    const actualPort = await s.ready;
    return {
      port: actualPort,
      remove: async () => {
        const i = s.routes.indexOf(route);
        if (i >= 0) s.routes.splice(i, 1);
        if (s.routes.length === 0) {
          for (const [k, v] of this.#servers) if (v === s) this.#servers.delete(k);
          const closed = new Promise<void>((r) => s.server.close(() => r()));
          // keep-alive sockets would hold close() open for keepAliveTimeout; the handlers are done by now
          const sweep = setInterval(() => s.server.closeIdleConnections(), 20);
          s.server.closeIdleConnections();
          await closed;
          clearInterval(sweep);
        }
      },
    };
  }

  async #serve(routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = routes
      .filter((r) => path === r.prefix || path.startsWith(r.prefix.endsWith('/') ? r.prefix : `${r.prefix}/`))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    let reply: HttpReply;
    try {
      if (!route) reply = { status: 404, body: '{"code":"NOT_FOUND","details":"no consumer on this path"}' };
      else if (!route.methods.has(req.method ?? 'GET')) reply = { status: 405, body: '{"code":"METHOD_NOT_ALLOWED"}' };
      else {
        const body = await readBody(req, this.maxBodyBytes);
        reply = body ? await route.handler(req, body, path) : { status: 413, body: '{"code":"PAYLOAD_TOO_LARGE"}' };
      }
    } catch (err) {
      this.#log.warn('queue http: a request failed', { path, error: describeError(err) });
      reply = { status: 500, body: '{"code":"INTERNAL_ERROR"}' };
    }
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
    res.end(reply.body ?? '');
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
