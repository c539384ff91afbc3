/** Option checks shared by the transports: each option is validated once, at the boundary, with a coded error. */
import { QueueConfigError } from '../_errors.ts';
import { DEFAULT_MAX_DELIVERIES, type TransportOptions } from './types.ts';

export function queueName(where: string, opts: TransportOptions): string {
  if (typeof opts?.queue !== 'string' || opts.queue === '') throw new QueueConfigError(`${where}: option "queue" must be a non-empty string`);
  return opts.queue;
}

export function positiveInt(where: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new QueueConfigError(`${where}: option "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export function optionalString(where: string, key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new QueueConfigError(`${where}: option "${key}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function consumerLimits(where: string, opts: TransportOptions): { maxDeliveries: number; concurrency: number } {
  return {
    maxDeliveries: positiveInt(where, 'maxDeliveries', opts.maxDeliveries, DEFAULT_MAX_DELIVERIES),
    concurrency: positiveInt(where, 'concurrency', opts.concurrency, 1),
  };
}

export function toBuffer(body: Buffer | string | Uint8Array): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
