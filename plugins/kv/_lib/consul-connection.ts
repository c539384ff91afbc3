/**
 * Consul's KV HTTP API (through the consul package): one recursive read per prefix, then a blocking query per
 * prefix that waits on X-Consul-Index, with the index rules Consul documents for blocking queries:
 *
 * - an index lower than the previous one (a snapshot restore, a tombstone reaped) resets it to 0, which makes
 *   the next query a plain read that starts the loop afresh;
 * - after each response the index used next is at least 1, since an index of 0 would return at once and spin;
 * - a response is no proof of a change (timeouts, idempotent writes), so entries are compared before reporting;
 * - queries that come back at once repeatedly are spaced out (rate limit), so a misbehaving agent is not hammered.
 *
 * Values arrive base64-encoded and are decoded to text; the ACL token (consulToken / CONSUL_HTTP_TOKEN) goes in the
 * X-Consul-Token header.
 */
import { EventEmitter } from 'node:events';
import Consul from 'consul';
import { folderPrefix } from './to-config.ts';
import type { KvConnection, KvEntries, KvResolvedOptions, KvWatchListener } from './types.ts';

/** How long one blocking query waits at most (Consul's limit is 10 minutes, its default 5). */
export const CONSUL_WAIT_SECONDS = 60;
const MIN_SPACING_MS = 50;

interface KvItem {
  readonly Key: string;
  readonly Value: string | null;
}

interface Query {
  readonly prefix: string;
  index: bigint;
  entries: Map<string, string>;
}

type GetWithResponse = (opts: Record<string, unknown>) => Promise<[{ headers: Record<string, string | undefined> }, KvItem[] | undefined]>;

/** A papi request context that also asks the consul package for the response (its headers carry the index). */
class QueryContext extends EventEmitter {
  readonly includeResponse = true;
}

export class ConsulConnection implements KvConnection {
  readonly #consul: Consul;
  readonly #queries: Query[];
  readonly #contexts = new Set<QueryContext>();
  #closed = false;

  constructor(options: KvResolvedOptions) {
    this.#consul = new Consul({
      host: options.consulHost ?? '127.0.0.1',
      port: options.consulPort,
      defaults: options.consulToken ? { token: options.consulToken } : undefined,
    });
    // Consul keys never start with '/': KV_PREFIX "/app" means the folder "app/", as clc_msa_utils strips it
    const prefixes = [...new Set(options.prefixes.map((p) => folderPrefix(p).replace(/^\/+/, '')))];
    this.#queries = prefixes.map((prefix) => ({ prefix, index: 0n, entries: new Map() }));
  }

  async write(key: string, value: string): Promise<void> {
    const prefix = this.#queries[this.#queries.length - 1]?.prefix ?? '';
    await (this.#consul.kv.set as unknown as (o: { key: string; value: string }) => Promise<unknown>).call(this.#consul.kv, { key: `${prefix}${key}`, value });
  }

  async read(): Promise<KvEntries> {
    await Promise.all(this.#queries.map(async (q) => this.#take(q, await this.#get(q.prefix, undefined))));
    return this.#combined();
  }

  watch(listener: KvWatchListener): void {
    for (const q of this.#queries) void this.#follow(q, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const ctx of this.#contexts) ctx.emit('cancel');
    this.#contexts.clear();
    const destroy = (this.#consul as unknown as { destroy?: () => void }).destroy;
    destroy?.call(this.#consul);
  }

  async #follow(q: Query, listener: KvWatchListener): Promise<void> {
    let backoff = 100;
    let lastAt = 0;
    while (!this.#closed) {
      const since = Date.now() - lastAt;
      if (since < MIN_SPACING_MS) await sleep(MIN_SPACING_MS - since);
      lastAt = Date.now();
      try {
        const res = await this.#get(q.prefix, q.index);
        if (this.#closed) return;
        listener.up();
        backoff = 100;
        if (this.#take(q, res)) listener.entries(this.#combined());
      } catch (err) {
        if (this.#closed) return;
        listener.down(err);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Applies one response; true when the prefix's entries changed. */
  #take(q: Query, [res, items]: Awaited<ReturnType<GetWithResponse>>): boolean {
    const index = parseIndex(res.headers['x-consul-index']);
    if (index < q.index) q.index = 0n; // went backwards: start the loop afresh
    else q.index = index < 1n ? 1n : index;
    const entries = new Map<string, string>();
    for (const item of items ?? []) entries.set(item.Key, item.Value ?? '');
    const changed = entries.size !== q.entries.size || [...entries].some(([k, v]) => q.entries.get(k) !== v);
    q.entries = entries;
    return changed;
  }

  #combined(): Map<string, string> {
    const out = new Map<string, string>();
    for (const q of this.#queries) for (const [k, v] of q.entries) out.set(k, v);
    return out;
  }

  async #get(prefix: string, index: bigint | undefined): Promise<Awaited<ReturnType<GetWithResponse>>> {
    const ctx = new QueryContext();
    this.#contexts.add(ctx);
    const blocking = index !== undefined && index > 0n;
    const opts: Record<string, unknown> = { key: prefix, recurse: true, ctx };
    if (blocking) {
      opts.index = index.toString();
      opts.wait = `${CONSUL_WAIT_SECONDS}s`;
      // Consul adds up to wait/16 of jitter; the request may take that long before it counts as lost
      opts.timeout = CONSUL_WAIT_SECONDS * 1000 * (1 + 1 / 16) + 5000;
    } else {
      opts.timeout = 10_000;
    }
    try {
      return await (this.#consul.kv.get as unknown as GetWithResponse).call(this.#consul.kv, opts);
    } finally {
      this.#contexts.delete(ctx);
    }
  }
}

function parseIndex(raw: string | undefined): bigint {
  try {
    return raw === undefined || raw === '' ? 0n : BigInt(raw);
  } catch {
    return 0n;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function describeConsul(options: KvResolvedOptions): string {
  return `consul at http://${options.consulHost ?? '127.0.0.1'}:${options.consulPort}`;
}
