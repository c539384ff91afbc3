/**
 * acct gather plugin for AMQP profiles (providers `amqp`, `pika`, `rabbitmq`): checks every profile's keys
 * (coded errors naming the profile, never the password) and builds its connection manager, which starts
 * connecting in the background. The ingress plugin `hub.ingress.amqp` publishes through it.
 *
 *   amqp:
 *     default:
 *       host: localhost
 *       port: 5672
 *       username: guest
 *       password: guest
 *       ingress_channels: [channel1, channel2]   # queues, declared durable when missing
 *       # or: exchange: events, routing_key: app.events
 *       # optional: vhost, tls (true | {ca, cert, key, ...}), heartbeat, connect_timeout, buffer_size, max_backoff
 */
import type { Hub } from '../../src/index.ts';
import { parseAmqpProfile } from '../../plugins/ingress/_lib/amqp-profile.ts';
import { AmqpPublisher } from '../../plugins/ingress/_lib/amqp-publisher.ts';
import { describeError } from '../../src/errors.ts';
import { EvbusAmqpProfileError } from '../../plugins/evbus/_errors.ts';

export const ACCT = ['amqp', 'pika', 'rabbitmq'];

type Profiles = Record<string, Record<string, unknown>>;

/** How long gather waits for each profile's first connection before going on (the rest happens in the background). */
const FIRST_ATTEMPT_MS = 3000;

export async function gather(hub: Hub, profiles: Profiles): Promise<Record<string, Record<string, AmqpPublisher>>> {
  // check every profile before opening any connection
  const parsed = Object.entries(profiles).flatMap(([provider, byName]) =>
    Object.entries(byName ?? {}).map(([name, raw]) => ({ provider, name, profile: parseAmqpProfile(provider, name, raw) })),
  );
  const out: Record<string, Record<string, AmqpPublisher>> = {};
  const started: AmqpPublisher[] = [];
  for (const { provider, name, profile } of parsed) {
    const publisher = new AmqpPublisher(profile, hub.log).start();
    started.push(publisher);
    (out[provider] ??= {})[name] = publisher;
  }
  // a broker that is down is waited for; a refused login would be retried forever, so it fails the start now
  const outcomes = await Promise.all(started.map((p) => p.firstAttempt(FIRST_ATTEMPT_MS)));
  const refused = started.find((_, i) => /ACCESS.REFUSED/.test(describeError(outcomes[i] ?? '')));
  if (refused) {
    await Promise.all(started.map((p) => p.close(0)));
    const { host, port, vhost, label } = refused.profile;
    throw new EvbusAmqpProfileError(`amqp profile ${label}: ${host}:${port} refused the login (check username, password and vhost "${vhost}")`);
  }
  // the publisher leaves its first failure to us: one line per profile that is not reachable yet
  started.forEach((p, i) => {
    if (outcomes[i] === undefined) return;
    const { host, port, label } = p.profile;
    hub.log.warn(`amqp profile ${label}: ${host}:${port} is not reachable yet (${describeError(outcomes[i], { redact: true })}); events are kept and sent once it is`);
  });
  return out;
}

/**
 * Flushes and closes the connection managers; `force` (the bus gave up draining) closes them without waiting.
 * The bus decides when this runs: evbus gathers with `hold` and releases its contexts after draining.
 */
export async function close(_hub: Hub, processed: Record<string, Record<string, unknown>>, opts: { force?: boolean } = {}): Promise<void> {
  const publishers = Object.values(processed).flatMap((byName) => Object.values(byName ?? {})).filter((p) => p instanceof AmqpPublisher);
  await Promise.all(publishers.map((p) => p.close(opts.force ? 0 : undefined)));
}
