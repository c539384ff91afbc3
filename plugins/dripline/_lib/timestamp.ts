import { performance } from 'node:perf_hooks';

/**
 * Now as dripline timestamps it: `%Y-%m-%dT%H:%M:%S.ffffffZ`, UTC with microseconds (dripline-cpp's format;
 * RFC 3339 with sub-second precision as the standard asks). Microseconds come from the high-resolution clock.
 */
export function driplineTimestamp(epochMicros: number = Math.floor((performance.timeOrigin + performance.now()) * 1000)): string {
  const ms = Math.floor(epochMicros / 1000);
  const micros = String(epochMicros % 1_000_000).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
}
