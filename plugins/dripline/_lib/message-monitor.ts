/**
 * Listening in on the mesh (dragonfly monitor, dl-mon): an exclusive auto-delete queue bound to an exchange
 * with the given keys, consumed without acks; every message reassembled and decoded (an undecodable one is
 * passed on as such). A monitor on `requests` also takes a copy of every request and reply.
 */
import { Reassembler, parseMessageId } from './chunks.ts';
import { decodeMessage, type AmqpIncoming, type Decoded } from './codec.ts';
import { exchangeSpec, queueSpec, type LinkConsumer, type MeshLink } from './mesh-link.ts';

export interface MonitorOptions {
  readonly exchange: string;
  /** Binding keys (default ['#']: everything). */
  readonly keys?: readonly string[];
}

export interface Seen {
  readonly exchange: string;
  readonly routingKey: string;
  readonly decoded: Decoded;
}

export interface Monitor {
  readonly queue: string;
  stop(): Promise<void>;
}

export async function openMonitor(link: MeshLink, opts: MonitorOptions, onMessage: (seen: Seen) => void): Promise<Monitor> {
  const keys = opts.keys && opts.keys.length > 0 ? opts.keys : ['#'];
  const [queue] = await link.declare({ exchanges: [exchangeSpec(opts.exchange)], queues: [queueSpec('')] });
  await link.declare({ bindings: keys.map((routingKey) => ({ queue: queue as string, exchange: opts.exchange, routingKey })) });
  const emit = (parts: (AmqpIncoming | undefined)[]) => {
    const first = parts.find((p) => p !== undefined) as AmqpIncoming;
    onMessage({ exchange: first.fields.exchange ?? opts.exchange, routingKey: first.fields.routingKey, decoded: decodeMessage(parts) });
  };
  const reassembler = new Reassembler<AmqpIncoming>(5000, emit);
  const consumer: LinkConsumer = await link.consume(queue as string, (msg) => {
    let id;
    try {
      id = parseMessageId(msg.properties.messageId);
    } catch {
      return emit([msg]);
    }
    const whole = reassembler.add(id, msg);
    if (whole) emit(whole);
  }, { noAck: true });
  return {
    queue: queue as string,
    async stop() {
      reassembler.clear();
      await consumer.cancel();
    },
  };
}
