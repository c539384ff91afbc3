import { afterAll, beforeAll, inject, it } from 'vitest';

export type ServiceName = 'rabbitmq' | 'python' | 'etcd' | 'nats';

/**
 * Guards a test that needs a real service. Under CI=true a missing service is a failure (never a silent pass);
 * locally the test is skipped and the reason says exactly what to install or start.
 */
export function requireService(name: ServiceName): { available: boolean; reason: string } {
  const status = inject('services')?.[name];
  const available = status?.up === true;
  const reason = available ? '' : `${name} is not available; run: ${status?.hint ?? 'see test/setup/services.ts'}`;
  if (!available && process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return { available, reason };
}

/** `itWith('rabbitmq')('publishes', async () => ...)`: an `it` that skips (locally) or fails (CI) without the service. */
export function itWith(name: ServiceName): typeof it {
  const { available } = requireService(name);
  return available ? it : (it.skip as unknown as typeof it);
}

/**
 * For a describe block that starts its own server (a second RabbitMQ node, a second nats-server): started once in
 * the block's beforeAll, cleaned up in its afterAll. `missing` says why this machine cannot start it (the block's
 * tests then skip, or fail under CI=true); `needs` is the machine service the tests use next to it. A server that
 * does not start fails the block's tests with the start error.
 */
export function serverForBlock<T extends { cleanup(): Promise<void> }>(what: string, o: { missing: string; needs: ServiceName; start: () => Promise<T>; startTimeoutMs: number }): { readonly it: typeof it; readonly server: T } {
  if (o.missing && process.env.CI === 'true') throw new Error(`CI=true and ${o.missing}`);
  const enabled = !o.missing && itWith(o.needs) === it;
  let server: T | undefined;
  beforeAll(async () => {
    if (enabled) server = await o.start();
  }, o.startTimeoutMs);
  afterAll(async () => {
    await server?.cleanup();
  }, 120_000);
  return {
    it: enabled ? it : (it.skip as unknown as typeof it),
    get server() {
      if (!server) throw new Error(`${what} is not running (see the beforeAll error)`);
      return server;
    },
  };
}
