/**
 * Split messages (the standard's "chunks"): a payload's JSON larger than the broker-friendly maximum is cut into
 * pieces sent as separate AMQP messages with message_id `<uuid>/<chunk>/<total>`, identical headers otherwise.
 * Cuts fall on UTF-8 character boundaries (dripline-cpp cuts bytes and concatenates bytes, so both read us).
 */
import { DriplineMessageError } from '../_errors.ts';

/** dripline-cpp's DL_MAX_PAYLOAD_SIZE: the default `max_payload_size` of a mesh, in bytes. */
export const DEFAULT_MAX_PAYLOAD_SIZE = 10_000;

/** `body` in pieces of at most `maxSize` bytes (one empty piece for an empty body). */
export function splitBody(body: Buffer, maxSize: number): Buffer[] {
  if (!(maxSize >= 4)) throw new RangeError(`max payload size must be at least 4 bytes, got ${maxSize}`);
  if (body.length <= maxSize) return [body];
  const out: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    let end = Math.min(start + maxSize, body.length);
    // never end a piece in the middle of a multi-byte character: back up over continuation bytes
    while (end < body.length && end > start && ((body[end] as number) & 0xc0) === 0x80) end--;
    out.push(body.subarray(start, end));
    start = end;
  }
  return out;
}

export interface ChunkId {
  readonly uuid: string;
  readonly index: number;
  readonly total: number;
}

/** Parses `<uuid>/<chunk>/<total>`; a bare id (or none) is one whole message. Throws on a malformed id. */
export function parseMessageId(messageId: string | undefined): ChunkId {
  if (!messageId) return { uuid: '', index: 0, total: 1 };
  const first = messageId.indexOf('/');
  if (first < 0) return { uuid: messageId, index: 0, total: 1 };
  const last = messageId.lastIndexOf('/');
  const index = Number(messageId.slice(first + 1, last));
  const total = Number(messageId.slice(last + 1));
  if (last === first || !Number.isInteger(index) || !Number.isInteger(total) || total < 1 || index < 0 || index >= total) {
    throw new DriplineMessageError(`message id ${JSON.stringify(messageId)} is not <uuid>/<chunk>/<total chunks>`);
  }
  return { uuid: messageId.slice(0, first), index, total };
}

export function chunkMessageId(uuid: string, index: number, total: number): string {
  return `${uuid}/${index}/${total}`;
}

interface Pending<T> {
  readonly parts: (T | undefined)[];
  received: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Collects the chunks of split messages until each is whole. `add` returns the chunks in order once the last
 * one arrived (at once for an unsplit message); a message still incomplete after `timeoutMs` is handed to
 * `onIncomplete` with the chunks it has (holes as undefined), as dripline-cpp processes it as invalid.
 */
export class Reassembler<T> {
  readonly #pending = new Map<string, Pending<T>>();
  readonly #timeoutMs: number;
  readonly #onIncomplete: (parts: (T | undefined)[], id: ChunkId) => void;

  constructor(timeoutMs: number, onIncomplete: (parts: (T | undefined)[], id: ChunkId) => void) {
    this.#timeoutMs = timeoutMs;
    this.#onIncomplete = onIncomplete;
  }

  /** Messages waiting for chunks. */
  get size(): number {
    return this.#pending.size;
  }

  add(id: ChunkId, part: T): T[] | undefined {
    if (id.total === 1) return [part];
    const key = `${id.uuid}/${id.total}`;
    let p = this.#pending.get(key);
    if (!p) {
      const timer = setTimeout(() => this.#expire(key, id), this.#timeoutMs);
      timer.unref();
      p = { parts: new Array<T | undefined>(id.total).fill(undefined), received: 0, timer };
      this.#pending.set(key, p);
    }
    if (p.parts[id.index] !== undefined) return undefined; // a redelivered duplicate chunk
    p.parts[id.index] = part;
    p.received++;
    if (p.received < id.total) return undefined;
    clearTimeout(p.timer);
    this.#pending.delete(key);
    return p.parts as T[];
  }

  #expire(key: string, id: ChunkId): void {
    const p = this.#pending.get(key);
    if (!p) return;
    this.#pending.delete(key);
    this.#onIncomplete(p.parts, id);
  }

  /** Drops everything waiting (on shutdown). */
  clear(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
  }
}
