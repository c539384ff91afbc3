/** Reads segment files in large chunks and parses their records (stopping at a torn or corrupt one). */
import { open, type FileHandle } from 'node:fs/promises';
import { HEADER_BYTES, KIND_DATA, parseRecord } from './record.ts';

const CHUNK = 1024 * 1024;

export interface ScannedRecord {
  readonly kind: number;
  readonly payload: Buffer;
  /** Offset of the record's first byte. */
  readonly offset: number;
  /** Offset just after it. */
  readonly end: number;
}

export interface Batch {
  readonly records: ScannedRecord[];
  /** Offset where the valid records read end. */
  readonly end: number;
  /** What follows `end`: more data to read, nothing (eof), a partial record, or a corrupt one. */
  readonly stop: 'more' | 'eof' | 'incomplete' | 'corrupt';
}

/** The records of one chunk starting at `pos` (a record larger than the chunk is read whole). */
export async function readBatch(fh: FileHandle, pos: number): Promise<Batch> {
  let size = CHUNK;
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const { bytesRead } = await fh.read(buf, 0, size, pos);
    if (bytesRead === 0) return { records: [], end: pos, stop: 'eof' };
    const data = buf.subarray(0, bytesRead);
    const records: ScannedRecord[] = [];
    let at = 0;
    for (;;) {
      const r = parseRecord(data, at);
      if (r.status === 'record') {
        records.push({ kind: r.kind, payload: r.payload, offset: pos + at, end: pos + at + r.bytes });
        at += r.bytes;
        continue;
      }
      if (r.status === 'corrupt') return { records, end: pos + at, stop: 'corrupt' };
      // incomplete: either the chunk ended mid-record (read on) or the file did
      if (records.length > 0) return { records, end: pos + at, stop: 'more' };
      if (bytesRead < size) return { records, end: pos, stop: 'incomplete' };
      const need = data.length - at >= HEADER_BYTES ? HEADER_BYTES + data.readUInt32BE(at + 4) : size * 2;
      size = Math.max(need, size * 2);
      break;
    }
  }
}

/** Calls `onRecord` for each valid record from `from`; returns where and why it stopped. */
export async function scanSegment(path: string, from: number, onRecord: (r: ScannedRecord) => void): Promise<{ end: number; stop: Batch['stop'] }> {
  const fh = await open(path, 'r');
  try {
    let pos = from;
    for (;;) {
      const b = await readBatch(fh, pos);
      for (const r of b.records) onRecord(r);
      pos = b.end;
      if (b.stop !== 'more') return { end: pos, stop: b.stop };
    }
  } finally {
    await fh.close();
  }
}

/** Data records in a segment (for the drop count when trimming). */
export async function countRecords(path: string): Promise<number> {
  let n = 0;
  await scanSegment(path, 0, (r) => {
    if (r.kind === KIND_DATA) n++;
  }).catch(() => undefined);
  return n;
}
