/**
 * The reader's progress: for each segment, the offset up to which records were handed on and acknowledged.
 * Written atomically (temp file, fsync, rename) at most every `intervalMs`; after a crash up to that much work is
 * done again — duplicates within at-least-once, never a gap. A missing or unreadable cursor means "from the start".
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const CURSOR_FILE = 'cursor.json';

export class CursorFile {
  readonly #path: string;
  readonly #intervalMs: number;
  readonly offsets = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(dir: string, intervalMs = 100) {
    this.#path = join(dir, CURSOR_FILE);
    this.#intervalMs = intervalMs;
  }

  async load(): Promise<void> {
    try {
      const data = JSON.parse(await readFile(this.#path, 'utf8')) as { segments?: Record<string, number> };
      for (const [k, v] of Object.entries(data.segments ?? {})) if (Number.isInteger(v) && v >= 0) this.offsets.set(k, v);
    } catch {
      // no cursor yet (or a torn one): start from the beginning of every segment
    }
  }

  set(segment: string, offset: number): void {
    this.offsets.set(segment, offset);
    this.#schedule();
  }

  delete(segment: string): void {
    if (this.offsets.delete(segment)) this.#schedule();
  }

  #schedule(): void {
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#intervalMs);
  }

  /** Writes now if anything changed (and waits for a write under way). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const tmp = `${this.#path}.${process.pid}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(JSON.stringify({ v: 1, segments: Object.fromEntries(this.offsets) }));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.#path);
    }).catch(() => {
      this.#dirty = true;
    });
    await this.#writing;
  }
}
