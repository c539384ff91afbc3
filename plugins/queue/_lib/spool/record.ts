/**
 * The spool's on-disk record: a 16-byte header and the payload, appended to a segment file.
 *
 *   0  u32 BE  magic 0x54535131 ("TSQ1")
 *   4  u32 BE  payload length
 *   8  u32 BE  kind (1 data, 2 seal: the writer closed the segment and will never append to it again)
 *  12  u32 BE  CRC-32 of bytes 4..11 and the payload
 *
 * A torn or half-written record (a writer killed mid-write, a reader racing a write) fails the length or the
 * checksum, so it is never taken for data: readers stop there and, for a live writer, look again later.
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 0x54535131;
export const HEADER_BYTES = 16;
export const KIND_DATA = 1;
export const KIND_SEAL = 2;
/** Larger payloads are refused at push, and a header claiming more is corrupt. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeRecord(kind: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32BE(MAGIC, 0);
  out.writeUInt32BE(payload.length, 4);
  out.writeUInt32BE(kind, 8);
  payload.copy(out, HEADER_BYTES);
  out.writeUInt32BE(crc32(out.subarray(HEADER_BYTES), crc32(out.subarray(4, 12))) >>> 0, 12);
  return out;
}

export type Parsed =
  | { readonly status: 'record'; readonly kind: number; readonly payload: Buffer; readonly bytes: number }
  | { readonly status: 'incomplete' }
  | { readonly status: 'corrupt'; readonly reason: string };

/** Parses the record at `buf[at..]`. */
export function parseRecord(buf: Buffer, at: number): Parsed {
  const left = buf.length - at;
  if (left < HEADER_BYTES) return { status: 'incomplete' };
  if (buf.readUInt32BE(at) !== MAGIC) return { status: 'corrupt', reason: 'bad magic' };
  const len = buf.readUInt32BE(at + 4);
  const kind = buf.readUInt32BE(at + 8);
  if (len > MAX_RECORD_BYTES || (kind !== KIND_DATA && kind !== KIND_SEAL)) return { status: 'corrupt', reason: 'bad header' };
  if (left < HEADER_BYTES + len) return { status: 'incomplete' };
  const payload = buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len);
  const want = buf.readUInt32BE(at + 12);
  if ((crc32(payload, crc32(buf.subarray(at + 4, at + 12))) >>> 0) !== want) return { status: 'corrupt', reason: 'checksum mismatch' };
  return { status: 'record', kind, payload, bytes: HEADER_BYTES + len };
}
