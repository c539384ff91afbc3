/**
 * infi.ramen_client's configuration, same field names and defaults. A QueueWriter needs the writer fields; a
 * QueueReader also needs `hostname` and `auth_token` (or a `producer` to forward to instead of HTTP).
 * Durations are in seconds, as in the original.
 */
import type { Hub, Logger } from '../../../src/types.ts';
import { createConsoleLogger } from '../../../src/logger.ts';
import { QueueConfigError } from '../_errors.ts';
import { DEFAULT_MAX_QUEUE_BYTES } from '../_lib/spool/spool-writer.ts';

/** Anything with send(body, opts): a transport producer or a streamtools-style producer. */
export interface ForwardProducer {
  send(body: string, opts?: { id?: string; contentType?: string; headers?: Record<string, unknown> }): Promise<unknown>;
}

export interface QueueWriterConfig {
  /** The sending program (e.g. ibox, imx, sa). */
  sender: string;
  system_serial: string | number;
  system_version: string;
  /** Default /var/ramen_client/ (several systems may share it). */
  queue_dir?: string;
  /** Soft limit in bytes (default 5 GiB): beyond it the oldest records are dropped, and counted. */
  max_queue_size?: number;
  logger?: Logger;
}

export interface QueueReaderConfig extends QueueWriterConfig {
  hostname?: string;
  auth_token?: string;
  /** HTTPS (default true; false for tests). */
  ssl?: boolean;
  server_timeout?: number;
  polling_delay?: number;
  retry_delay?: number;
  blacklist_ttl?: number;
  /** Forward to this producer (AMQP, NATS ...) instead of the ramen HTTP server. */
  producer?: ForwardProducer;
  /** The hub whose `hub.http.client` posts to the server (default: the queue facades' shared hub, see setQueueHub). */
  hub?: Hub;
}

export interface ResolvedRamenConfig {
  readonly sender: string;
  readonly system_serial: string | number;
  readonly system_version: string;
  readonly queue_dir: string;
  readonly max_queue_size: number;
  readonly hostname: string | undefined;
  readonly auth_token: string | undefined;
  readonly ssl: boolean;
  readonly server_timeout: number;
  readonly polling_delay: number;
  readonly retry_delay: number;
  readonly blacklist_ttl: number;
  readonly producer: ForwardProducer | undefined;
  readonly logger: Logger;
}

export const RAMEN_DEFAULTS = Object.freeze({
  queue_dir: '/var/ramen_client/',
  max_queue_size: DEFAULT_MAX_QUEUE_BYTES,
  ssl: true,
  server_timeout: 20,
  polling_delay: 5,
  retry_delay: 30,
  blacklist_ttl: 3600,
});

export function resolveRamenConfig(config: QueueReaderConfig, forReader: boolean): ResolvedRamenConfig {
  if (typeof config !== 'object' || config === null) throw new QueueConfigError('ramen: the config must be an object');
  const c = config as unknown as Record<string, unknown>;
  const str = (k: string, required: boolean): string | undefined => {
    const v = c[k];
    if (v === undefined || v === null || v === '') {
      if (required) throw new QueueConfigError(`ramen config: "${k}" is required`);
      return undefined;
    }
    if (typeof v !== 'string') throw new QueueConfigError(`ramen config: "${k}" must be a string`);
    return v;
  };
  const num = (k: string, fallback: number): number => {
    const v = c[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new QueueConfigError(`ramen config: "${k}" must be a non-negative number`);
    return v;
  };
  const serial = c.system_serial;
  if (typeof serial !== 'string' && typeof serial !== 'number') throw new QueueConfigError('ramen config: "system_serial" is required (a number or string)');
  if (c.ssl !== undefined && typeof c.ssl !== 'boolean') throw new QueueConfigError('ramen config: "ssl" must be true or false');
  const producer = c.producer as ForwardProducer | undefined;
  if (producer !== undefined && typeof producer?.send !== 'function') throw new QueueConfigError('ramen config: "producer" must have a send(body, opts) method');
  const resolved: ResolvedRamenConfig = {
    sender: str('sender', true) as string,
    system_serial: serial,
    system_version: str('system_version', true) as string,
    queue_dir: str('queue_dir', false) ?? RAMEN_DEFAULTS.queue_dir,
    max_queue_size: num('max_queue_size', RAMEN_DEFAULTS.max_queue_size),
    hostname: str('hostname', forReader && !producer),
    auth_token: str('auth_token', forReader && !producer),
    ssl: (c.ssl as boolean | undefined) ?? RAMEN_DEFAULTS.ssl,
    server_timeout: num('server_timeout', RAMEN_DEFAULTS.server_timeout),
    polling_delay: num('polling_delay', RAMEN_DEFAULTS.polling_delay),
    retry_delay: num('retry_delay', RAMEN_DEFAULTS.retry_delay),
    blacklist_ttl: num('blacklist_ttl', RAMEN_DEFAULTS.blacklist_ttl),
    producer,
    logger: (c.logger as Logger | undefined) ?? createConsoleLogger(),
  };
  return Object.freeze(resolved);
}
