/**
 * Appends records to a spool directory, durably, with group commit.
 *
 * fsync policy (the one policy): `push()` resolves only after its record is on disk — written and `fdatasync`ed
 * (and, for a new segment, its directory entry fsynced). At most one flush is in flight per writer; every record
 * pushed while it runs goes into the next one, so N concurrent pushes cost about one fsync, not N. A crash
 * (kill -9, power loss) can lose only records whose push had not resolved, and leaves at most a torn record at
 * the end of a segment, which the checksum rejects.
 *
 * Each writer owns its segments (see segment-name.ts), so several writers — in this process or others — share a
 * directory without locking each other. A segment is rotated at `segmentBytes`; the old one gets a seal record
 * so readers know it is complete. After each rotation the spool is trimmed to `maxQueueBytes` (a soft limit):
 * the oldest finished segments are dropped and their records counted in `stats.dropped`.
 */
import { mkdir, open, readdir, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from '../../../../src/types.ts';
import { describeError } from '../../../../src/errors.ts';
import { QueueClosedError, QueueConfigError, QueueSpoolError } from '../../_errors.ts';
import { KIND_DATA, KIND_SEAL, MAX_RECORD_BYTES, encodeRecord } from './record.ts';
import { newSegmentName, parseSegmentName } from './segment-name.ts';
import { ACTIVE_SEGMENTS, LOCK_STALE_MS, LOCK_UPDATE_MS, writerAlive } from './writer-liveness.ts';
import { countRecords } from './scan-segment.ts';
import { fsyncDir } from './fsync-dir.ts';
import { notifyFlushed } from './spool-signal.ts';

export interface SpoolWriterOptions {
  /** Rotate segments at this size (default 64 MiB, or max_queue_size / 8 when that is smaller). */
  readonly segmentBytes?: number;
  /** Soft limit on the whole spool (default 5 GiB). */
  readonly maxQueueBytes?: number;
  readonly log: Logger;
}

interface Pending {
  readonly record: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

interface Segment {
  readonly file: string;
  readonly path: string;
  readonly fh: FileHandle;
  readonly release: () => Promise<void>;
  size: number;
}

export const DEFAULT_MAX_QUEUE_BYTES = 5 * 1024 ** 3;
const DEFAULT_SEGMENT_BYTES = 64 * 1024 ** 2;

export class SpoolWriter {
  readonly dir: string;
  readonly #log: Logger;
  readonly #segmentBytes: number;
  readonly #maxQueueBytes: number;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #segment: Segment | undefined;
  #closed = false;
  readonly stats = { pushed: 0, flushes: 0, segments: 0, dropped: 0 };

  constructor(dir: string, opts: SpoolWriterOptions) {
    if (typeof dir !== 'string' || dir === '') throw new QueueConfigError('spool writer: queue_dir must be a non-empty path');
    this.dir = dir;
    this.#log = opts.log;
    this.#maxQueueBytes = opts.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.#segmentBytes = opts.segmentBytes ?? Math.max(64 * 1024, Math.min(DEFAULT_SEGMENT_BYTES, Math.floor(this.#maxQueueBytes / 8)));
  }

  /** Appends `payload`; resolves once it is on disk (group commit, see above). */
  push(payload: Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(new QueueClosedError(`spool writer for ${this.dir} is closed`));
    if (payload.length > MAX_RECORD_BYTES) {
      return Promise.reject(new QueueConfigError(`spool ${this.dir}: a record of ${payload.length} bytes is larger than the ${MAX_RECORD_BYTES} bytes allowed`));
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ record: encodeRecord(KIND_DATA, payload), resolve, reject });
      if (!this.#flushing) this.#flushing = this.#flushLoop();
    });
  }

  /** Waits for pending pushes, seals the current segment and releases it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    if (this.#segment) await this.#seal(this.#segment).catch((err: unknown) => this.#log.warn('spool: sealing the last segment failed', { dir: this.dir, error: describeError(err) }));
    this.#segment = undefined;
  }

  async #flushLoop(): Promise<void> {
    // let the pushes of this tick join the first batch
    await new Promise<void>((r) => setImmediate(r));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#write(batch);
        for (const p of batch) p.resolve();
        this.stats.pushed += batch.length;
        notifyFlushed(this.dir);
      } catch (cause) {
        const err = cause instanceof QueueSpoolError ? cause : new QueueSpoolError(`spool ${this.dir}: writing ${batch.length} record(s) failed: ${describeError(cause)}`, { cause });
        for (const p of batch) p.reject(err);
        // a failed segment is not appended to again: the next batch starts a fresh one
        const seg = this.#segment;
        this.#segment = undefined;
        if (seg) await seg.fh.close().catch(() => undefined).then(seg.release);
      }
    }
    this.#flushing = undefined;
  }

  async #write(batch: Pending[]): Promise<void> {
    const bytes = batch.reduce((n, p) => n + p.record.length, 0);
    let seg = this.#segment;
    if (seg && seg.size > 0 && seg.size + bytes > this.#segmentBytes) {
      await this.#seal(seg);
      this.#segment = seg = undefined;
      await this.#trim();
    }
    seg ??= this.#segment = await this.#openSegment();
    await writeAll(seg.fh, batch.map((p) => p.record), seg.size);
    await seg.fh.datasync();
    this.stats.flushes++;
    seg.size += bytes;
    // a reader that took our segment for a dead writer's may have deleted it: then these records are not in the
    // spool, so write them again to a new segment before saying they are (a duplicate at worst, never a loss)
    if ((await seg.fh.stat()).nlink === 0) {
      this.#log.warn('spool: our segment was deleted under us (writer taken for dead?); rewriting the batch', { dir: this.dir, segment: seg.file });
      this.#segment = undefined;
      await seg.fh.close().catch(() => undefined).then(seg.release);
      await this.#write(batch);
    }
  }

  async #openSegment(): Promise<Segment> {
    await mkdir(this.dir, { recursive: true }).catch((cause: unknown) => {
      throw new QueueSpoolError(`spool: cannot create queue_dir ${this.dir}: ${describeError(cause)}`, { cause });
    });
    const file = newSegmentName();
    const path = join(this.dir, file);
    const fh = await open(path, 'wx');
    ACTIVE_SEGMENTS.add(file);
    let release: () => Promise<void> = async () => undefined;
    try {
      release = await lockfile.lock(path, {
        realpath: false, stale: LOCK_STALE_MS, update: LOCK_UPDATE_MS,
        onCompromised: (err) => this.#log.warn('spool: the lock of our segment went stale (event loop blocked?)', { segment: file, error: describeError(err) }),
      });
    } catch (err) {
      this.#log.warn('spool: could not lock a new segment; readers on other hosts may take it for finished', { segment: file, error: describeError(err) });
    }
    await fsyncDir(this.dir);
    this.stats.segments++;
    if (this.stats.segments === 1) await this.#trim();
    return {
      file, path, fh, size: 0,
      release: () => {
        ACTIVE_SEGMENTS.delete(file);
        return release().catch(() => undefined);
      },
    };
  }

  async #seal(seg: Segment): Promise<void> {
    try {
      await writeAll(seg.fh, [encodeRecord(KIND_SEAL, Buffer.alloc(0))], seg.size);
      await seg.fh.datasync();
    } finally {
      await seg.fh.close().catch(() => undefined);
      await seg.release();
    }
  }

  /** Drops the oldest finished segments while the spool is over maxQueueBytes (never a live writer's). */
  async #trim(): Promise<void> {
    const files = (await readdir(this.dir).catch(() => [] as string[])).filter((f) => parseSegmentName(f)).sort();
    const sizes = await Promise.all(files.map((f) => stat(join(this.dir, f)).then((s) => s.size, () => 0)));
    let total = sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < files.length && total > this.#maxQueueBytes; i++) {
      const file = files[i] as string;
      const path = join(this.dir, file);
      if (file === this.#segment?.file || (await writerAlive(path, file))) continue;
      const n = await countRecords(path);
      if ((await unlink(path).then(() => true, () => false))) {
        await rm(`${path}.lock`, { recursive: true, force: true }).catch(() => undefined);
        this.stats.dropped += n;
        total -= sizes[i] as number;
        this.#log.warn('spool: over max_queue_size; dropped the oldest records', { dir: this.dir, segment: file, records: n, droppedTotal: this.stats.dropped });
      }
    }
  }
}

async function writeAll(fh: FileHandle, chunks: Buffer[], position: number): Promise<void> {
  let pos = position;
  let rest = chunks;
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest, pos);
    pos += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

function dropBytes(chunks: Buffer[], n: number): Buffer[] {
  let left = n;
  let i = 0;
  while (i < chunks.length && left >= (chunks[i] as Buffer).length) left -= (chunks[i++] as Buffer).length;
  const rest = chunks.slice(i);
  if (left > 0 && rest.length > 0) rest[0] = (rest[0] as Buffer).subarray(left);
  return rest;
}
