/**
 * What hub.amqp.connection.open returns: one lease on a shared connection. Publishers and consumers made on it are
 * closed with it; the shared connection closes when its last lease does.
 */
import type { SharedConnection } from './shared-connection.ts';
import type { AmqpConnection, AmqpConnectionEvent, AmqpConnectionStats } from './types.ts';

/** Something made on a lease that must end with it (a publisher drains, a consumer cancels). */
export interface LeaseChild {
  close(opts: { drainMs?: number }): Promise<void>;
}

export class ConnectionLease implements AmqpConnection {
  readonly shared: SharedConnection;
  readonly hold: boolean;
  readonly #release: (lease: ConnectionLease) => Promise<void>;
  readonly #children = new Set<LeaseChild>();
  #closing: Promise<void> | undefined;

  constructor(shared: SharedConnection, hold: boolean, release: (lease: ConnectionLease) => Promise<void>) {
    this.shared = shared;
    this.hold = hold;
    this.#release = release;
  }

  get label(): string {
    return this.shared.label;
  }

  get key(): string {
    return this.shared.settings.key;
  }

  get connected(): boolean {
    return this.#closing === undefined && this.shared.connected;
  }

  get closed(): boolean {
    return this.#closing !== undefined || this.shared.failure !== undefined;
  }

  get stats(): AmqpConnectionStats {
    return this.shared.publicStats;
  }

  whenConnected(timeoutMs?: number): Promise<void> {
    return this.shared.whenConnected(timeoutMs);
  }

  on(event: AmqpConnectionEvent, listener: (info: unknown) => void): () => void {
    return this.shared.on(event, listener);
  }

  /** Registers a child closed with the lease; returns its removal. */
  adopt(child: LeaseChild): () => void {
    this.#children.add(child);
    return () => this.#children.delete(child);
  }

  close(opts: { drainMs?: number } = {}): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#children].map((c) => c.close(opts).catch(() => undefined)));
      this.#children.clear();
      await this.#release(this);
    })();
    return this.#closing;
  }
}
