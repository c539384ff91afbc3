/**
 * A loopback TCP proxy for outage tests: clients connect to `port`, bytes go to `target`. `cut()` drops every
 * connection and refuses new ones (the service looks down to the client while it keeps running for the test's
 * own writes); `restore()` accepts again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

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
      const upstream = connect(this.targetPort, this.targetHost);
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
