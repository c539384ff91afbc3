/** Loopback TCP helpers for outage tests: a proxy whose connections can be cut, and a port nothing listens on. */
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
  close(): Promise<void>;
}

/** A TCP proxy to `port` on 127.0.0.1. */
export async function cuttableProxy(port: number, host = '127.0.0.1'): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
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
        pair.silent = true;
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.upstream.pause();
        pair.client.resetAndDestroy();
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
