/**
 * The seed's provider convenience: an endpoint with nested endpoints (or the service itself) takes
 * `set <provider> -s logging_status on` and applies it to every nested endpoint that has the attribute (and to
 * itself, when it logs too).
 */
import type { Endpoint, EndpointAttribute } from './endpoint-types.ts';

export function providerAttributes(name: string, children: () => readonly Endpoint[], own?: EndpointAttribute): Record<string, EndpointAttribute> {
  const loggers = () => children().filter((c) => c.attributes && Object.hasOwn(c.attributes, 'logging_status'));
  return {
    name: { get: () => name },
    endpoints: { get: () => children().map((c) => c.name) },
    logging_status: {
      get: () => ({ ...(own ? { [name]: own.get() } : {}), ...Object.fromEntries(loggers().map((c) => [c.name, c.attributes?.logging_status?.get()])) }),
      async set(value: unknown) {
        if (own?.set) await own.set(value);
        for (const c of loggers()) await c.attributes?.logging_status?.set?.(value);
      },
    },
  };
}
