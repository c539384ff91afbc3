/**
 * A YAML or JSON file as a store: the file's mapping is the tree of keys (`rabbit: { host: h }` is the key
 * `rabbit/host`). Watched through its folder, so editors that save by renaming a new file over it are seen too.
 * A read that finds the file empty or unparsable (an editor half-way through saving) fails like an unreachable
 * store, so the last good configuration stays; a file that parses but is not a mapping is a format error.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import { KvFormatError } from '../_errors.ts';
import { flatten } from './flatten.ts';
import type { KvConnection, KvEntries, KvWatchListener } from './types.ts';

export class FileConnection implements KvConnection {
  readonly #path: string;
  #watcher: FSWatcher | undefined;
  #reading: Promise<void> | undefined;
  #again = false;

  constructor(path: string) {
    this.#path = path;
  }

  async read(): Promise<KvEntries> {
    const text = await readFile(this.#path, 'utf8');
    if (text.trim() === '') throw new Error(`${this.#path} is empty`);
    let data: unknown;
    try {
      data = parse(text);
    } catch (cause) {
      throw new Error(`${this.#path} does not parse as YAML/JSON: ${(cause as Error).message.split('\n')[0]}`, { cause });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new KvFormatError(`kv file ${this.#path} must hold a mapping of keys to values, not ${Array.isArray(data) ? 'a list' : typeof data}`);
    }
    return flatten(data as Record<string, unknown>);
  }

  watch(listener: KvWatchListener): void {
    const name = basename(this.#path);
    this.#watcher = watch(dirname(this.#path), (_event, file) => {
      if (file === null || file === name) this.#reread(listener);
    });
    this.#watcher.on('error', (err) => listener.down(err));
  }

  async close(): Promise<void> {
    this.#watcher?.close();
    this.#watcher = undefined;
    await this.#reading;
  }

  /** One read at a time; events during a read cause one more read after it. */
  #reread(listener: KvWatchListener): void {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.read()
      .then((entries) => listener.entries(entries), (err: unknown) => listener.down(err))
      .finally(() => {
        this.#reading = undefined;
        if (this.#again && this.#watcher) {
          this.#again = false;
          this.#reread(listener);
        }
      });
  }
}
