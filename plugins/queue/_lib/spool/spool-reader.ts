/**
 * Reads a spool directory in order, one record at a time, resuming where the last reader stopped.
 *
 * `next()` gives the oldest record not yet acknowledged (the same one again until `ack()`), taking segments in
 * name (creation) order and, so that a busy writer cannot starve the others, each pass reads what is there of
 * every segment before coming back. A segment whose writer sealed it or is gone is deleted once all of it is
 * acknowledged; a torn record at the end of a dead writer's segment ends that segment. One reader per
 * directory: the reader lock (proper-lockfile, so a crashed reader's lock goes stale) refuses a second with
 * TSPOP_ERR_QUEUE_SPOOL_LOCKED.
 */
import { mkdir, open, readdir, unlink, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from '../../../../src/types.ts';
import { describeError } from '../../../../src/errors.ts';
import { QueueSpoolError, QueueSpoolLockedError } from '../../_errors.ts';
import { KIND_DATA, KIND_SEAL } from './record.ts';
import { parseSegmentName } from './segment-name.ts';
import { readBatch, scanSegment, type ScannedRecord } from './scan-segment.ts';
import { CursorFile } from './cursor-file.ts';
import { LOCK_STALE_MS, LOCK_UPDATE_MS, writerAlive } from './writer-liveness.ts';

/** Cursors of the readers open in this process, so a writer's queueSize() here sees acks not yet written. */
const OPEN_CURSORS = new Map<string, CursorFile>();

export interface SpoolRecord {
  readonly segment: string;
  readonly offset: number;
  readonly payload: Buffer;
}

interface OpenSegment {
  readonly file: string;
  readonly fh: FileHandle;
  /** Read position: records before it are buffered or acknowledged. */
  pos: number;
  buffered: ScannedRecord[];
  /** Sealed, or its writer is gone and we read to the end. */
  finished: boolean;
}

export class SpoolReader {
  readonly dir: string;
  readonly #log: Logger;
  readonly #cursor: CursorFile;
  readonly #segments = new Map<string, OpenSegment>();
  #order: string[] = [];
  #turn = 0;
  #release: (() => Promise<void>) | undefined;
  #opened = false;
  readonly stats = { acked: 0, corrupt: 0, deletedSegments: 0 };

  constructor(dir: string, log: Logger) {
    this.dir = dir;
    this.#log = log;
    this.#cursor = new CursorFile(dir);
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    await mkdir(this.dir, { recursive: true }).catch((cause: unknown) => {
      throw new QueueSpoolError(`spool: cannot create queue_dir ${this.dir}: ${describeError(cause)}`, { cause });
    });
    try {
      this.#release = await lockfile.lock(join(this.dir, 'reader'), {
        realpath: false, stale: LOCK_STALE_MS, update: LOCK_UPDATE_MS,
        onCompromised: (err) => this.#log.warn('spool: the reader lock went stale; another reader may run too (duplicates, no loss)', { dir: this.dir, error: describeError(err) }),
      });
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ELOCKED') throw new QueueSpoolLockedError(`spool ${this.dir}: another reader is running on it`, { cause });
      throw new QueueSpoolError(`spool ${this.dir}: cannot take the reader lock: ${describeError(cause)}`, { cause });
    }
    await this.#cursor.load();
    OPEN_CURSORS.set(resolve(this.dir), this.#cursor);
    this.#opened = true;
  }

  /** The oldest unacknowledged record available now, or undefined when there is none (yet). */
  async next(): Promise<SpoolRecord | undefined> {
    // the segment in hand first: listing the directory for every record would cost more than reading it
    if (this.#order.length > 0) {
      const rec = await this.#peek(this.#order[this.#turn % this.#order.length] as string);
      if (rec) return rec;
    }
    await this.#refresh();
    for (;;) {
      const order = this.#order;
      const retiredBefore = this.stats.deletedSegments;
      for (let tried = 0; tried < order.length; tried++) {
        const file = order[this.#turn % order.length] as string;
        const rec = await this.#peek(file);
        if (rec) return rec;
        this.#turn++;
      }
      // a pass that only retired finished segments may have skipped past others: look again
      if (this.stats.deletedSegments === retiredBefore || this.#order.length === 0) return undefined;
    }
  }

  /** Marks `rec` handled: it will not be given again, even after a restart (once the cursor is written). */
  async ack(rec: SpoolRecord): Promise<void> {
    const seg = this.#segments.get(rec.segment);
    if (!seg) return;
    const head = seg.buffered[0];
    if (!head || head.offset !== rec.offset) return;
    seg.buffered.shift();
    this.stats.acked++;
    this.#cursor.set(seg.file, head.end);
    if (seg.buffered.length === 0 && seg.finished) await this.#retire(seg);
  }

  /** Records not yet acknowledged, counted by reading the spool (slow on a large spool). */
  async size(): Promise<number> {
    const files = await this.#list();
    let n = 0;
    for (const file of files) {
      await scanSegment(join(this.dir, file), this.#cursor.offsets.get(file) ?? 0, (r) => {
        if (r.kind === KIND_DATA) n++;
      }).catch(() => undefined);
    }
    return n;
  }

  async close(): Promise<void> {
    if (!this.#opened) return;
    this.#opened = false;
    OPEN_CURSORS.delete(resolve(this.dir));
    await this.#cursor.flush();
    for (const seg of this.#segments.values()) await seg.fh.close().catch(() => undefined);
    this.#segments.clear();
    await this.#release?.().catch(() => undefined);
  }

  async #list(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((f) => parseSegmentName(f)).sort();
  }

  async #refresh(): Promise<void> {
    const files = await this.#list();
    const present = new Set(files);
    for (const [file, seg] of this.#segments) {
      if (!present.has(file)) {
        // trimmed by a writer over max_queue_size (or deleted by hand): its records are gone
        await seg.fh.close().catch(() => undefined);
        this.#segments.delete(file);
        this.#cursor.delete(file);
      }
    }
    for (const file of this.#cursor.offsets.keys()) if (!present.has(file)) this.#cursor.delete(file);
    this.#order = files;
  }

  async #peek(file: string): Promise<SpoolRecord | undefined> {
    let seg = this.#segments.get(file);
    if (!seg) {
      const fh = await open(join(this.dir, file), 'r').catch(() => undefined);
      if (!fh) return undefined;
      seg = { file, fh, pos: this.#cursor.offsets.get(file) ?? 0, buffered: [], finished: false };
      this.#segments.set(file, seg);
    }
    while (seg.buffered.length === 0 && !seg.finished) {
      if (!(await this.#fill(seg))) break;
    }
    const head = seg.buffered[0];
    if (!head) {
      if (seg.finished) await this.#retire(seg);
      return undefined;
    }
    return { segment: file, offset: head.offset, payload: head.payload };
  }

  /** Reads the next chunk of `seg`; false when nothing more is there for now. */
  async #fill(seg: OpenSegment): Promise<boolean> {
    const b = await readBatch(seg.fh, seg.pos);
    for (const r of b.records) {
      if (r.kind === KIND_SEAL) {
        seg.finished = true;
        // nothing to hand on, but the cursor must move past it so a restart does not re-read the segment
        if (seg.buffered.length === 0) this.#cursor.set(seg.file, r.end);
        break;
      }
      seg.buffered.push(r);
    }
    seg.pos = b.end;
    if (seg.finished || b.stop === 'more') return !seg.finished;
    if (b.records.length > 0) return true;
    // at the end of what is written: more may come, unless the writer is gone
    if (!(await writerAlive(join(this.dir, seg.file), seg.file))) {
      // re-read once: the writer may have appended just before it exited
      const last = await readBatch(seg.fh, seg.pos);
      if (last.records.length > 0) return this.#fillFrom(seg, last);
      if (last.stop === 'corrupt' || last.stop === 'incomplete') {
        this.stats.corrupt++;
        this.#log.warn('spool: a finished segment ends in a torn record (its writer died mid-write); skipping the tail', { segment: seg.file, offset: seg.pos });
      }
      seg.finished = true;
    }
    return false;
  }

  #fillFrom(seg: OpenSegment, b: Awaited<ReturnType<typeof readBatch>>): boolean {
    for (const r of b.records) {
      if (r.kind === KIND_SEAL) {
        seg.finished = true;
        break;
      }
      seg.buffered.push(r);
    }
    seg.pos = b.end;
    return true;
  }

  /** Deletes a fully acknowledged finished segment (file first, then cursor: a crash between re-reads nothing). */
  async #retire(seg: OpenSegment): Promise<void> {
    this.#segments.delete(seg.file);
    await seg.fh.close().catch(() => undefined);
    const path = join(this.dir, seg.file);
    await unlink(path).catch(() => undefined);
    await rm(`${path}.lock`, { recursive: true, force: true }).catch(() => undefined);
    this.#cursor.delete(seg.file);
    this.stats.deletedSegments++;
    this.#order = this.#order.filter((f) => f !== seg.file);
  }
}

/** Records not yet acknowledged in `dir`, without taking the reader lock (a writer's queue_size()). */
export async function spoolSize(dir: string): Promise<number> {
  let cursor = OPEN_CURSORS.get(resolve(dir));
  if (!cursor) {
    cursor = new CursorFile(dir);
    await cursor.load();
  }
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => parseSegmentName(f)).sort();
  let n = 0;
  for (const file of files) {
    await scanSegment(join(dir, file), cursor.offsets.get(file) ?? 0, (r) => {
      if (r.kind === KIND_DATA) n++;
    }).catch(() => undefined);
  }
  return n;
}
