/** YAML, for humans reading events (pop-serial's yaml). */
import { parse, stringify } from 'yaml';
import type { Hub } from '../../src/index.ts';

export const CONTENT_TYPE = 'application/yaml';

export function dump(_hub: Hub, body: unknown): string {
  return stringify(body);
}

export function load(_hub: Hub, data: string | Buffer | Uint8Array): unknown {
  return parse(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
}
