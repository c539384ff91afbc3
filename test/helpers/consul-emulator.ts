/**
 * A protocol-faithful emulator of Consul's KV HTTP API, for tests (the kv suite also runs against a real agent
 * when CONSUL_HTTP_ADDR is set). What it keeps from Consul:
 *
 * - one Raft-like index for every write (a /v1/txn is one write); entries carry CreateIndex/ModifyIndex/Flags;
 * - X-Consul-Index as Consul computes it: a found key -> its ModifyIndex, a missing key -> the table index; a
 *   recursive list -> the highest ModifyIndex of its entries or of the tombstones under the prefix (the table
 *   index for the empty prefix or when there is neither), so deleting a key moves the index and reaping
 *   tombstones can move it backwards;
 * - blocking queries: `?index=N` waits until the result's index is above N or `wait` (default 5m, at most 10m,
 *   plus up to wait/16 jitter) passes; 404 with the index header when nothing matches;
 * - values base64-encoded in JSON, `?raw`, `?keys` with `separator`, `?cas`, `?flags`, recursive deletes;
 * - ACLs: with a token required, requests without X-Consul-Token (or ?token=) matching it get 403.
 *
 * Test controls: reapTombstones(), restore() (a snapshot restore: the index falls back and blocked queries
 * answer at once, as Consul abandons them), zeroIndex (the Consul bug the docs warn about), pause()/resume() (the agent goes away and comes back), requests (what clients asked).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Entry {
  value: Buffer | null;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}

export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly at: number;
}

export interface TxnOp {
  readonly KV: { readonly Verb: string; readonly Key: string; readonly Value?: string; readonly Flags?: number; readonly Index?: number };
}

const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;

export function parseWait(text: string | undefined): number {
  if (!text) return DEFAULT_WAIT_MS;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) return DEFAULT_WAIT_MS;
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
  return Math.min(ms, MAX_WAIT_MS);
}

export class ConsulEmulator {
  readonly requests: EmulatorRequest[] = [];
  /** When set, every request must carry this ACL token. */
  token: string | undefined;
  /** Answer X-Consul-Index: 0 (a Consul bug the blocking-query docs tell clients to survive). */
  zeroIndex = false;
  #kvs = new Map<string, Entry>();
  #tombstones = new Map<string, number>();
  #index = 1;
  /** Bumped by restore(): blocked queries are abandoned and answer at once, as Consul's are after a restore. */
  #epoch = 0;
  #waiters = new Set<() => void>();
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #port = 0;

  /** Starts on a free loopback port (or `port`, to come back on the same one after pause()). */
  async start(port = this.#port): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    return this;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The agent goes away: open connections are cut and new ones refused until resume(). */
  async pause(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }

  async resume(): Promise<void> {
    await this.start(this.#port);
  }

  async close(): Promise<void> {
    await this.pause();
    for (const w of this.#waiters) w();
  }

  /** Consul's tombstone GC: deleted keys stop counting towards list indexes (which may go backwards). */
  reapTombstones(): void {
    this.#tombstones.clear();
    this.#wake();
  }

  /** A snapshot restore: the store is replaced by `entries` and the index falls back to `index`. */
  restore(entries: Readonly<Record<string, string>>, index: number): void {
    this.#kvs.clear();
    this.#tombstones.clear();
    this.#index = index;
    this.#epoch++;
    for (const [k, v] of Object.entries(entries)) this.#kvs.set(k, { value: Buffer.from(v), flags: 0, createIndex: index, modifyIndex: index });
    this.#wake();
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }

  #write(apply: (index: number) => void): void {
    const index = ++this.#index;
    apply(index);
    this.#wake();
  }

  #set(key: string, value: Buffer, flags: number, index: number): void {
    const old = this.#kvs.get(key);
    this.#kvs.set(key, { value, flags, createIndex: old?.createIndex ?? index, modifyIndex: index });
    this.#tombstones.delete(key);
  }

  #delete(key: string, recurse: boolean, index: number): void {
    for (const k of [...this.#kvs.keys()]) {
      if (recurse ? k.startsWith(key) : k === key) {
        this.#kvs.delete(k);
        this.#tombstones.set(k, index);
      }
    }
  }

  /** X-Consul-Index of a read, as Consul's KVS.Get / KVS.List compute it. */
  #queryIndex(key: string, recurse: boolean): number {
    if (!recurse) return this.#kvs.get(key)?.modifyIndex ?? this.#index;
    if (key === '') return this.#index;
    let top = 0;
    for (const [k, e] of this.#kvs) if (k.startsWith(key)) top = Math.max(top, e.modifyIndex);
    for (const [k, i] of this.#tombstones) if (k.startsWith(key)) top = Math.max(top, i);
    return top === 0 ? this.#index : top;
  }

  #matching(key: string, recurse: boolean): [string, Entry][] {
    const out = [...this.#kvs].filter(([k]) => (recurse ? k.startsWith(key) : k === key));
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, at: Date.now() });
    const body = await readBody(req);
    const token = (req.headers['x-consul-token'] as string | undefined) ?? query.token;
    res.setHeader('X-Consul-KnownLeader', 'true');
    res.setHeader('X-Consul-LastContact', '0');
    if (this.token !== undefined && token !== this.token) return send(res, 403, 'ACL not found', 'text/plain');
    if (url.pathname === '/v1/txn' && req.method === 'PUT') return this.#txn(res, body);
    if (!url.pathname.startsWith('/v1/kv/')) return send(res, 404, 'not found', 'text/plain');
    const key = decodeURIComponent(url.pathname.slice('/v1/kv/'.length));
    const recurse = 'recurse' in query;
    if (req.method === 'GET') return this.#get(res, key, query);
    if (req.method === 'PUT') {
      let ok = true;
      this.#write((index) => {
        const cur = this.#kvs.get(key);
        if (query.cas !== undefined) ok = Number(query.cas) === 0 ? cur === undefined : cur?.modifyIndex === Number(query.cas);
        if (ok) this.#set(key, body, Number(query.flags ?? cur?.flags ?? 0), index);
      });
      return send(res, 200, JSON.stringify(ok));
    }
    if (req.method === 'DELETE') {
      this.#write((index) => this.#delete(key, recurse, index));
      return send(res, 200, 'true');
    }
    return send(res, 405, 'method not allowed', 'text/plain');
  }

  async #get(res: ServerResponse, key: string, query: Record<string, string>): Promise<void> {
    const recurse = 'recurse' in query || 'keys' in query;
    const min = query.index === undefined ? 0 : Number(query.index);
    if (min > 0) {
      const wait = parseWait(query.wait);
      const deadline = Date.now() + wait + Math.random() * (wait / 16);
      const epoch = this.#epoch;
      while (this.#queryIndex(key, recurse) <= min && Date.now() < deadline && this.#server && epoch === this.#epoch) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, deadline - Date.now());
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          this.#waiters.add(done);
        });
      }
      if (!this.#server || res.destroyed) return;
    }
    res.setHeader('X-Consul-Index', this.zeroIndex ? '0' : String(this.#queryIndex(key, recurse)));
    const found = this.#matching(key, recurse);
    if (found.length === 0) return send(res, 404, '', 'text/plain');
    if ('keys' in query) {
      const sep = query.separator;
      const names = new Set<string>();
      for (const [k] of found) {
        const rest = k.slice(key.length);
        const cut = sep ? rest.indexOf(sep) : -1;
        names.add(cut >= 0 ? key + rest.slice(0, cut + sep!.length) : k);
      }
      return send(res, 200, JSON.stringify([...names]));
    }
    if ('raw' in query) return send(res, 200, found[0]![1].value ?? Buffer.alloc(0), 'application/octet-stream');
    return send(res, 200, JSON.stringify(found.map(([k, e]) => toJson(k, e))));
  }

  #txn(res: ServerResponse, body: Buffer): void {
    let ops: TxnOp[];
    try {
      ops = JSON.parse(body.toString()) as TxnOp[];
    } catch {
      return send(res, 400, 'Failed to parse body', 'text/plain');
    }
    const results: unknown[] = [];
    this.#write((index) => {
      for (const { KV: op } of ops) {
        if (op.Verb === 'set') this.#set(op.Key, Buffer.from(op.Value ?? '', 'base64'), op.Flags ?? 0, index);
        else if (op.Verb === 'delete') this.#delete(op.Key, false, index);
        else if (op.Verb === 'delete-tree') this.#delete(op.Key, true, index);
        const e = this.#kvs.get(op.Key);
        if (e && op.Verb !== 'delete' && op.Verb !== 'delete-tree') results.push({ KV: { ...toJson(op.Key, e), Value: null } });
      }
    });
    res.setHeader('X-Consul-Index', String(this.#index));
    send(res, 200, JSON.stringify({ Results: results, Errors: null }));
  }
}

function toJson(key: string, e: Entry): Record<string, unknown> {
  return { LockIndex: 0, Key: key, Flags: e.flags, Value: e.value === null ? null : e.value.toString('base64'), CreateIndex: e.createIndex, ModifyIndex: e.modifyIndex };
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A Consul HTTP client for tests that works the same against the emulator and a real agent. */
export class ConsulHttp {
  constructor(readonly url: string, readonly token?: string) {}

  #headers(): Record<string, string> {
    return this.token ? { 'X-Consul-Token': this.token } : {};
  }

  async put(key: string, value: string): Promise<void> {
    const r = await fetch(`${this.url}/v1/kv/${encodeURI(key)}`, { method: 'PUT', body: value, headers: this.#headers() });
    if (!r.ok) throw new Error(`PUT ${key}: ${r.status} ${await r.text()}`);
  }

  async delete(key: string, recurse = false): Promise<void> {
    const r = await fetch(`${this.url}/v1/kv/${encodeURI(key)}${recurse ? '?recurse' : ''}`, { method: 'DELETE', headers: this.#headers() });
    if (!r.ok) throw new Error(`DELETE ${key}: ${r.status} ${await r.text()}`);
  }

  /** Several sets as one Consul transaction (one index). */
  async txn(sets: Readonly<Record<string, string>>): Promise<void> {
    const ops = Object.entries(sets).map(([Key, v]) => ({ KV: { Verb: 'set', Key, Value: Buffer.from(v).toString('base64') } }));
    const r = await fetch(`${this.url}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops), headers: this.#headers() });
    if (!r.ok) throw new Error(`txn: ${r.status} ${await r.text()}`);
  }

  async get(key: string, query = ''): Promise<{ status: number; index: string | null; body: string }> {
    const r = await fetch(`${this.url}/v1/kv/${encodeURI(key)}${query}`, { headers: this.#headers() });
    return { status: r.status, index: r.headers.get('x-consul-index'), body: await r.text() };
  }
}
