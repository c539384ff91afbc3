/** MessagePack (pop-serial's msgpack): compact binary bodies; `dump` returns a Buffer. */
import { decode, encode } from '@msgpack/msgpack';
import type { Hub } from '../../src/index.ts';

export const CONTENT_TYPE = 'application/msgpack';

export function dump(_hub: Hub, body: unknown): Buffer {
  const bytes = encode(body, { ignoreUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function load(_hub: Hub, data: string | Buffer | Uint8Array): unknown {
  return decode(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
}
