import { readFileSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { digest } from './digest.ts';
import { writeCacheFile } from './write-cache-file.ts';

/**
 * size, mtimeMs, ctimeMs, inode, hash of the compile options, the file's hash, its module's file name in `m/`, the
 * names the source declares (see own-exports.ts)
 */
type Entry = [number, number, number, number, string, string, string, string[]];

/**
 * Files modified this recently are never indexed: on a filesystem with coarse timestamps a second edit in the same
 * tick would keep the mtime (the change time, also compared, catches an edit whose mtime was set back).
 */
const SETTLED_MS = 2000;

/** What the index knows of one file: its compile hash and the module file it is imported from. */
export interface IndexHit {
  readonly hash: string;
  readonly name: string;
  readonly declared: readonly string[];
}

/**
 * One plugin folder's index in the cache (`i/<hash of the folder>.json`): for each TS file whose module is its
 * compiled output as is (no import to rewrite), the file's size, times and inode when it was compiled and the
 * module's name. A warm start then stats a file instead of reading and hashing it. An entry counts only while all
 * four still match and the compile options are the same, files modified in the last two seconds are not indexed
 * (as git treats "racily clean" files), and a reload (`fresh`) never uses it, so an edit is always seen.
 */
export class FolderIndex {
  private readonly file: string;
  private readonly folder: string;
  private readonly entries: Record<string, Entry>;
  private dirty = false;

  private constructor(file: string, folder: string, entries: Record<string, Entry>) {
    this.file = file;
    this.folder = folder;
    this.entries = entries;
  }

  /** The index of `folder`, read once per batch; an unreadable or foreign one is empty. */
  static read(indexDir: string, folder: string): FolderIndex {
    const file = join(indexDir, `${digest('folder', folder)}.json`);
    let entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { folder?: unknown; files?: unknown };
      if (parsed.folder === folder && typeof parsed.files === 'object' && parsed.files !== null) {
        entries = Object.assign(entries, parsed.files as Record<string, Entry>);
      }
    } catch {
      // none yet, or half of a foreign write: start empty
    }
    return new FolderIndex(file, folder, entries);
  }

  lookup(path: string, st: Stats, optionsHash: string): IndexHit | undefined {
    const e = this.entries[basename(path)];
    if (!Array.isArray(e) || e[0] !== st.size || e[1] !== st.mtimeMs || e[2] !== st.ctimeMs || e[3] !== st.ino || e[4] !== optionsHash) return undefined;
    if (!Array.isArray(e[7])) return undefined;
    return { hash: e[5], name: e[6], declared: e[7] };
  }

  record(path: string, st: Stats, optionsHash: string, hit: IndexHit): void {
    if (Date.now() - st.mtimeMs < SETTLED_MS) return;
    this.entries[basename(path)] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, optionsHash, hit.hash, hit.name, [...hit.declared]];
    this.dirty = true;
  }

  /** Writes the index if this batch added to it (whole or not at all; a lost write only costs a read next time). */
  save(): void {
    if (!this.dirty) return;
    this.dirty = false;
    void writeCacheFile(this.file, JSON.stringify({ folder: this.folder, files: this.entries })).catch(() => undefined);
  }
}
