import { inject, it } from 'vitest';

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
