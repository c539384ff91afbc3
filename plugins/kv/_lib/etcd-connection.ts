/**
 * etcd (v3 API, through etcd3): one consistent read of every prefix at one revision, then one watch over the
 * prefixes' common part from the next revision.
 *
 * - A transaction's events come in one watch response, so the image is updated a whole response at a time and
 *   a reload never sees half of it.
 * - etcd3 re-opens a broken watch stream by itself (on any member of the cluster); just before it re-sends the
 *   watch request ('connecting') the start revision is set to the last revision applied here, so changes made
 *   while the stream was down are replayed and none is missed. Events at or below that revision (replays) are
 *   skipped.
 * - A watch etcd cancels (the revision was compacted away, permission lost) is replaced: read everything again,
 *   watch from that read's revision.
 */
import { Etcd3, type IKeyValue, type IWatchResponse, type Watcher } from 'etcd3';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Logger } from '../../../src/index.ts';
import { describeError } from '../../../src/errors.ts';
import { folderPrefix } from './to-config.ts';
import type { KvConnection, KvEntries, KvResolvedOptions, KvWatchListener } from './types.ts';

/** `host:port` or a URL as etcd3 wants it. */
export function etcdHosts(endpoints: readonly string[]): string[] {
  return endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`));
}

function commonPrefix(values: readonly string[]): string {
  let p = values[0] ?? '';
  for (const v of values) while (!v.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export class EtcdConnection implements KvConnection {
  readonly #client: Etcd3;
  readonly #prefixes: readonly string[];
  readonly #log: Logger;
  #image = new Map<string, string>();
  #revision = 0;
  #watcher: Watcher | undefined;
  #listener: KvWatchListener | undefined;
  #closed = false;

  constructor(options: KvResolvedOptions, log: Logger) {
    this.#prefixes = [...new Set(options.prefixes.map(folderPrefix))];
    this.#log = log;
    this.#client = new Etcd3({
      hosts: etcdHosts(options.etcdEndpoints),
      dialTimeout: options.connectTimeoutMs,
      // a call that hangs on a dead member must fail in time for the next member (or the outage) to be tried
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + options.connectTimeoutMs }),
      // etcd3's default watch backoff grows to 30 s; a config store should be followed again within seconds
      // (etcd3 types this as an IBackoff but calls .next() on it first: it wants the factory)
      faultHandling: { watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) as unknown as IBackoff<unknown> },
    });
  }

  async write(key: string, value: string): Promise<void> {
    await this.#client.put(`${this.#prefixes[this.#prefixes.length - 1] ?? ''}${key}`).value(value);
  }

  /** The client itself, for hosts that want to write through the same connection. */
  get client(): Etcd3 {
    return this.#client;
  }

  async read(): Promise<KvEntries> {
    const image = new Map<string, string>();
    let revision: string | undefined;
    for (const prefix of this.#prefixes) {
      const range = this.#client.getAll().prefix(prefix);
      if (revision !== undefined) range.revision(revision);
      const res = await range.exec();
      revision ??= res.header.revision;
      for (const kv of res.kvs) image.set(kv.key.toString(), kv.value.toString());
    }
    this.#image = image;
    this.#revision = Number(revision ?? 0);
    return new Map(image);
  }

  watch(listener: KvWatchListener): void {
    this.#listener = listener;
    this.#startWatch();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    if (watcher) await Promise.race([watcher.cancel().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    this.#client.close();
  }

  #startWatch(): void {
    if (this.#closed) return;
    const watcher = this.#client.watch().prefix(commonPrefix(this.#prefixes)).startRevision(String(this.#revision + 1)).watcher();
    this.#watcher = watcher;
    // etcd3 sends watcher.request as the create request right after this event
    watcher.on('connecting', () => {
      watcher.request.start_revision = String(this.#revision + 1);
    });
    watcher.on('connected', (res: IWatchResponse) => {
      this.#log.debug('kv.etcd: watching', { fromRevision: this.#revision + 1, member: BigInt(res.header.member_id).toString(16) });
      this.#listener?.up();
    });
    watcher.on('disconnected', (err: unknown) => this.#listener?.down(err));
    watcher.on('data', (res: IWatchResponse) => this.#onData(res));
    watcher.on('error', (err: unknown) => {
      if (this.#watcher !== watcher) return;
      this.#log.warn('kv.etcd: etcd cancelled the watch; reading everything again', { error: describeError(err) });
      this.#watcher = undefined;
      void this.#resync();
    });
  }

  #onData(res: IWatchResponse): void {
    let changed = false;
    let top = this.#revision;
    for (const ev of res.events) {
      const kv: IKeyValue = ev.kv;
      const rev = Number(kv.mod_revision);
      if (rev <= this.#revision) continue;
      top = Math.max(top, rev);
      const key = kv.key.toString();
      if (!this.#prefixes.some((p) => key.startsWith(p))) continue;
      if (String(ev.type).toLowerCase() === 'delete') changed = this.#image.delete(key) || changed;
      else {
        const value = kv.value.toString();
        if (this.#image.get(key) !== value) changed = true;
        this.#image.set(key, value);
      }
    }
    this.#revision = top;
    if (changed) this.#listener?.entries(new Map(this.#image));
  }

  async #resync(): Promise<void> {
    for (let delay = 100; !this.#closed; delay = Math.min(delay * 2, 2000)) {
      try {
        const entries = await this.read();
        this.#listener?.up();
        this.#listener?.entries(entries);
        this.#startWatch();
        return;
      } catch (err) {
        this.#listener?.down(err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

/** What an unreachable error names. */
export function describeEtcd(options: KvResolvedOptions): string {
  return `etcd at ${options.etcdEndpoints.join(',')}`;
}

