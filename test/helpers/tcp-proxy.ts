/**
 * Loopback TCP helpers for outage tests: proxies whose connections can be cut (`cuttableProxy` resets them once;
 * `TcpProxy` cuts and refuses new ones until `restore()`), and a port nothing listens on.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';

export interface CuttableProxy {
  readonly port: number;
  /** Resets every connection through the proxy at once, like a network failure. */
  cut(): void;
  /**
   * Resets the client side only and leaves the upstream sockets open but silent, like a network partition: the
   * server keeps the old connections (and what they hold, e.g. exclusive queues) until its heartbeat gives up.
   */
  partition(): void;
  /** Stops forwarding both ways and keeps every socket open: a peer that is there but never answers. */
  stall(): void;
  close(): Promise<void>;
}

type Pair = { client: Socket; upstream: Socket; silent: boolean };

/** Stops forwarding both ways and reading from upstream; the sockets stay open (the caller decides the client's fate). */
function silence(pair: Pair): void {
  pair.silent = true;
  pair.client.unpipe(pair.upstream);
  pair.upstream.unpipe(pair.client);
  pair.upstream.pause();
}

/** A TCP proxy to `port` on 127.0.0.1. */
export async function cuttableProxy(port: number, host = '127.0.0.1'): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<Pair>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(port, host);
    const pair = { client, upstream, silent: false };
    pairs.add(pair);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a);
      a.on('error', () => pair.silent || b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        if (!pair.silent) b.destroy();
        pairs.delete(pair);
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
    partition: () => {
      for (const pair of pairs) {
        silence(pair);
        pair.client.resetAndDestroy();
      }
    },
    stall: () => {
      for (const pair of pairs) {
        silence(pair);
        pair.client.pause();
      }
    },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

/** A loopback port nothing listens on (connections are refused). */
export async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Clients connect to `port`, bytes go to `target`. `cut()` drops every connection and refuses new ones (the service
 * looks down to the client while it keeps running for the test's own writes); `restore()` accepts again.
 */
export class TcpProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #port = 0;

  constructor(readonly targetPort: number, readonly targetHost = '127.0.0.1') {}

  get port(): number {
    return this.#port;
  }

  get endpoint(): string {
    return `127.0.0.1:${this.#port}`;
  }

  async start(port = this.#port): Promise<this> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.once('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    return this;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }

  async restore(): Promise<void> {
    await this.start(this.#port);
  }

  close(): Promise<void> {
    return this.cut();
  }
}
