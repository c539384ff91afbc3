/**
 * hub.dripline.link — a MeshLink on the shared AMQP layer (hub.amqp): one lease on the shared reconnecting
 * connection, topology re-declared after reconnects, one confirm-channel publisher, consumers re-subscribed.
 * The layer's errors become dripline's: an unroutable mandatory publish is 403, an unreachable broker or a
 * refused login 101.
 */
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/describe-error.ts';
import { DriplineBrokerError, DriplineClosedError, DriplineUnroutableError } from './_errors.ts';
import type { BrokerAuth } from './_lib/auth.ts';
import type { AmqpIncoming, AmqpOutgoing } from './_lib/codec.ts';
import type { LinkConsumer, LinkTopology, MeshLink } from './_lib/mesh-link.ts';
import type { MeshConfig } from './_lib/mesh.ts';

export async function __init__(hub: Hub): Promise<void> {
  if (hub.amqp === undefined) await hub.pop.sub.add({ dyneName: 'amqp' });
}

interface AmqpConnectionLike {
  readonly label: string;
  whenConnected(timeoutMs?: number): Promise<void>;
  on(event: 'connectFailed', listener: (info: unknown) => void): () => void;
  close(opts?: { drainMs?: number }): Promise<void>;
}
interface AmqpPublisherLike {
  publish(exchange: string, routingKey: string, body: Buffer, options: Record<string, unknown>): Promise<void>;
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** Opens a link to the mesh's broker (connecting in the background; `whenConnected` waits). */
export function open(hub: Hub, mesh: MeshConfig, auth: BrokerAuth, label: string): MeshLink {
  const conn: AmqpConnectionLike = hub.amqp.connection.open({
    host: mesh.broker, port: mesh.broker_port, username: auth.username, password: auth.password, vhost: mesh.vhost, label, hold: true,
  });
  let publisher: AmqpPublisherLike | undefined;
  let closed = false;
  const consumers = new Set<LinkConsumer>();
  return {
    label: conn.label,
    async whenConnected(timeoutMs: number, maxFailedAttempts?: number) {
      try {
        await (maxFailedAttempts ? failFast(conn, timeoutMs, maxFailedAttempts) : conn.whenConnected(timeoutMs));
      } catch (err) {
        throw linkError(err, `${mesh.broker}:${mesh.broker_port}`);
      }
    },
    async declare(topology: LinkTopology) {
      try {
        const declared = (await hub.amqp.topology.declare(conn, topology)) as { queues: readonly string[] };
        return declared.queues;
      } catch (err) {
        throw linkError(err, `${mesh.broker}:${mesh.broker_port}`);
      }
    },
    async consume(queue: string, handler: (msg: AmqpIncoming) => Promise<void> | void, opts: { noAck: boolean; prefetch?: number }) {
      const c = (await hub.amqp.consumer.consume(conn, queue, handler, { noAck: opts.noAck, prefetch: opts.prefetch ?? 10, label })) as { cancel(o?: { drainMs?: number }): Promise<void> };
      const consumer: LinkConsumer = { cancel: () => (consumers.delete(consumer), c.cancel({ drainMs: 10_000 })) };
      consumers.add(consumer);
      return consumer;
    },
    async publish(exchange: string, routingKey: string, message: AmqpOutgoing, mandatory: boolean) {
      if (closed) throw new DriplineClosedError(`link ${label} is closed; nothing was sent to ${routingKey}`);
      publisher ??= hub.amqp.publisher.create(conn, { label }) as AmqpPublisherLike;
      try {
        // transient, as dripline-cpp sends: every dripline queue is non-durable anyway
        await publisher.publish(exchange, routingKey, message.body, { ...message.options, mandatory, persistent: false });
      } catch (err) {
        throw linkError(err, `${mesh.broker}:${mesh.broker_port}`, exchange, routingKey);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of [...consumers]) await c.cancel().catch(() => undefined);
      await publisher?.close({ drainMs: 5000 }).catch(() => undefined);
      await conn.close({ drainMs: 5000 });
    },
  };
}

/**
 * Connected within `timeoutMs`, or a failure once `attempts` connection attempts failed (a CLI should not wait
 * out its whole timeout for a broker that refuses connections): the layer's own error then names the brokers
 * tried and the last error.
 */
async function failFast(conn: AmqpConnectionLike, timeoutMs: number, attempts: number): Promise<void> {
  let off: () => void = () => undefined;
  const tooMany = new Promise<void>((resolve) => {
    let failed = 0;
    off = conn.on('connectFailed', () => {
      if (++failed >= attempts) resolve();
    });
  });
  try {
    await Promise.race([conn.whenConnected(timeoutMs), tooMany.then(() => conn.whenConnected(1))]);
  } finally {
    off();
  }
}

function linkError(err: unknown, broker: string, exchange?: string, routingKey?: string): Error {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'TSPOP_ERR_AMQP_RETURNED') {
    return new DriplineUnroutableError(`nothing is bound to routing key ${JSON.stringify(routingKey)} on exchange ${exchange}: no service has that endpoint`, { cause: err });
  }
  if (code === 'TSPOP_ERR_AMQP_UNREACHABLE') {
    // the layer names the brokers it tried and the last error; the broker is already in our message
    const text = describeError(err, { redact: true });
    const last = /\(tried [^)]*\): (.*)$/.exec(text)?.[1] ?? text;
    return new DriplineBrokerError(`cannot connect to the broker at ${broker}: ${last}`, { cause: err });
  }
  if (code === 'TSPOP_ERR_AMQP_LOGIN_REFUSED') {
    return new DriplineBrokerError(`the broker at ${broker} refused the login: ${describeError(err, { redact: true })}`, { cause: err });
  }
  return err as Error;
}
