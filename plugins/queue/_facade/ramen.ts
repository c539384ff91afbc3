/**
 * infi.ramen_client's API: a QueueWriter that only ever touches the local disk spool (it never blocks on the
 * network), and a QueueReader that forwards the spool to the ramen server over HTTP (or to any producer), with
 * retries for temporary failures and a blacklist for permanent ones. Wire format: _lib/ramen/wire.ts.
 */
import { randomUUID } from 'node:crypto';
import { TspopError, describeError } from '../../../src/errors.ts';
import { QueueAuthError, QueueConfigError, QueueStateError } from '../_errors.ts';
import { SpoolWriter } from '../_lib/spool/spool-writer.ts';
import { SpoolReader, spoolSize, type SpoolRecord } from '../_lib/spool/spool-reader.ts';
import { waitFlushed } from '../_lib/spool/spool-signal.ts';
import { parse as parseTagged, stringify } from '../_lib/ramen/tagged-json.ts';
import { Blacklist } from '../_lib/ramen/blacklist.ts';
import { buildRequest, classify, recordPath, type RamenRecord } from '../_lib/ramen/wire.ts';
import { httpClient } from '../_lib/http/client.ts';
import { queueHub } from './default-hub.ts';
import type { Hub } from '../../../src/types.ts';
import { resolveRamenConfig, type QueueReaderConfig, type QueueWriterConfig, type ResolvedRamenConfig } from './ramen-config.ts';

export type { QueueReaderConfig, QueueWriterConfig, ForwardProducer } from './ramen-config.ts';
export { RAMEN_DEFAULTS } from './ramen-config.ts';

export interface PushOptions {
  /** Request id for server-side de-duplication (unique per URL path); default a random UUID. */
  readonly reqid?: string;
}

export class QueueWriter {
  readonly config: ResolvedRamenConfig;
  readonly #spool: SpoolWriter;

  constructor(config: QueueWriterConfig) {
    this.config = resolveRamenConfig(config, false);
    this.#spool = new SpoolWriter(this.config.queue_dir, { log: this.config.logger, maxQueueBytes: this.config.max_queue_size });
  }

  /** Serialises `data` (tagged JSON; a string is taken as JSON you serialised yourself) and stores it durably. */
  push(category: string, type: string, version: string | number, data: unknown, opts: PushOptions = {}): Promise<void> {
    for (const [k, v] of [['category', category], ['type', type]] as const) {
      if (typeof v !== 'string' || v === '') return Promise.reject(new QueueConfigError(`QueueWriter.push: ${k} must be a non-empty string`));
    }
    if (version === undefined || version === null || version === '') return Promise.reject(new QueueConfigError('QueueWriter.push: version is required'));
    const record: RamenRecord = {
      category, type, version: String(version), reqid: opts.reqid ?? randomUUID(), timestamp: new Date().toISOString(), data: serialise(data),
    };
    return this.#spool.push(Buffer.from(JSON.stringify(record)));
  }

  /** Records in the spool not yet forwarded. */
  queueSize(): Promise<number> {
    return spoolSize(this.config.queue_dir);
  }

  /** Records dropped by this writer because the spool was over max_queue_size. */
  get dropped(): number {
    return this.#spool.stats.dropped;
  }

  close(): Promise<void> {
    return this.#spool.close();
  }
}

function serialise(data: unknown): string {
  if (typeof data === 'string') {
    try {
      JSON.parse(data);
      return data;
    } catch {
      return JSON.stringify(data);
    }
  }
  return stringify(data) ?? 'null';
}

export type ConsumeResult = 'empty' | 'accepted' | 'retry' | 'dropped';

export class QueueReader {
  static readonly EMPTY = 'empty';
  static readonly ACCEPTED = 'accepted';
  static readonly RETRY = 'retry';
  static readonly DROPPED = 'dropped';

  readonly config: ResolvedRamenConfig;
  readonly blacklist: Blacklist;
  readonly stats = { accepted: 0, dropped: 0, retried: 0 };
  readonly #spool: SpoolReader;
  #opened: Promise<void> | undefined;
  #running: Promise<number> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  readonly #hub: () => Promise<Hub>;

  constructor(config: QueueReaderConfig) {
    this.config = resolveRamenConfig(config, true);
    const hub = config.hub;
    this.#hub = hub ? () => Promise.resolve(hub) : queueHub;
    this.blacklist = new Blacklist(this.config.blacklist_ttl * 1000);
    this.#spool = new SpoolReader(this.config.queue_dir, this.config.logger);
  }

  /** Forwards the oldest record: EMPTY, ACCEPTED, RETRY (kept for later) or DROPPED. Rejects with TSPOP_ERR_QUEUE_AUTH. */
  async consumeOne(): Promise<ConsumeResult> {
    this.#opened ??= this.#spool.open();
    await this.#opened;
    const rec = await this.#spool.next();
    if (!rec) return QueueReader.EMPTY;
    let parsed: RamenRecord;
    try {
      parsed = JSON.parse(rec.payload.toString()) as RamenRecord;
    } catch {
      this.config.logger.warn('ramen: a spool record is not a ramen record; dropping it', { dir: this.config.queue_dir });
      return this.#done(rec, QueueReader.DROPPED);
    }
    const item = { ...this.#identity(), category: parsed.category, data_type: parsed.type, data_version: parsed.version, path: recordPath(parsed) };
    if (this.blacklist.matches(item)) return this.#done(rec, QueueReader.DROPPED);
    return this.config.producer ? this.#forward(rec, parsed) : this.#post(rec, parsed);
  }

  /**
   * Blocking (default): forwards until stop(), waiting polling_delay when the spool is empty and retry_delay
   * after a temporary failure. Not blocking: until the spool is empty or a send must be retried; resolves to the
   * number of records processed (accepted or dropped).
   */
  run(opts: { blocking?: boolean } = {}): Promise<number> {
    if (this.#running) return Promise.reject(new QueueStateError('QueueReader.run: already running'));
    this.#stopping = false;
    const blocking = opts.blocking ?? true;
    const p = this.#loop(blocking).finally(() => {
      this.#running = undefined;
    });
    this.#running = p;
    return p;
  }

  /** Ends a blocking run after the record in hand; resolves when it has. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running?.catch(() => undefined);
  }

  /** stop(), then releases the spool (reader lock, cursor written). */
  async close(): Promise<void> {
    await this.stop();
    if (this.#opened) await this.#opened.catch(() => undefined);
    await this.#spool.close();
    this.#opened = undefined;
  }

  /** Sends a test record to the server; true when it was accepted. Never throws. */
  async testConnection(): Promise<boolean> {
    const rec: RamenRecord = { category: '_test', type: 'connection', version: '1', reqid: randomUUID(), timestamp: new Date().toISOString(), data: '{}' };
    try {
      if (this.config.producer) {
        await this.config.producer.send(JSON.stringify(rec), { id: rec.reqid, contentType: 'application/json' });
        return true;
      }
      const v = await this.#request(rec);
      return v.kind === 'accepted';
    } catch {
      return false;
    }
  }

  async #loop(blocking: boolean): Promise<number> {
    let count = 0;
    while (!this.#stopping) {
      const r = await this.consumeOne();
      if (r === QueueReader.ACCEPTED || r === QueueReader.DROPPED) {
        count++;
        continue;
      }
      if (!blocking) return count;
      await this.#sleep(r === QueueReader.EMPTY ? this.config.polling_delay : this.config.retry_delay, r === QueueReader.EMPTY);
    }
    return count;
  }

  #sleep(seconds: number, wakeOnPush: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      this.#wake = done;
      if (wakeOnPush) void waitFlushed(this.config.queue_dir, seconds * 1000).then(done);
    });
  }

  #identity() {
    return { sender: this.config.sender, system_serial: this.config.system_serial, system_version: this.config.system_version };
  }

  async #forward(rec: SpoolRecord, parsed: RamenRecord): Promise<ConsumeResult> {
    const body = JSON.stringify({ ...this.#identity(), ...parsed, data: JSON.parse(parsed.data) as unknown });
    try {
      await this.config.producer?.send(body, { id: parsed.reqid, contentType: 'application/json', headers: { category: parsed.category, type: parsed.type, version: parsed.version } });
      return this.#done(rec, QueueReader.ACCEPTED);
    } catch (err) {
      this.stats.retried++;
      this.config.logger.warn('ramen: forwarding to the producer failed; will retry', { error: describeError(err) });
      return QueueReader.RETRY;
    }
  }

  async #post(rec: SpoolRecord, parsed: RamenRecord): Promise<ConsumeResult> {
    let verdict;
    try {
      verdict = await this.#request(parsed);
    } catch (err) {
      this.stats.retried++;
      this.config.logger.info('ramen: the server could not be reached; will retry', { error: describeError(err) });
      return QueueReader.RETRY;
    }
    switch (verdict.kind) {
      case 'accepted':
        return this.#done(rec, QueueReader.ACCEPTED);
      case 'retry':
        this.stats.retried++;
        return QueueReader.RETRY;
      case 'auth':
        throw new QueueAuthError(`ramen server ${this.config.hostname} refused the auth token (HTTP ${verdict.status})`);
      case 'dropped':
        if (verdict.rule) this.blacklist.add(verdict.rule);
        else this.blacklist.addPath(recordPath(parsed));
        this.config.logger.warn('ramen: the server refused a record for good; dropped it and blacklisted', { path: recordPath(parsed), reason: verdict.reason, ttl: this.config.blacklist_ttl });
        return this.#done(rec, QueueReader.DROPPED);
    }
  }

  /** One attempt: the reader's own loop retries after retry_delay, and every status is the server's verdict. */
  async #request(parsed: RamenRecord): Promise<ReturnType<typeof classify>> {
    const req = buildRequest(this.#identity(), this.config.auth_token ?? '', parsed);
    const url = `${this.config.ssl ? 'https' : 'http'}://${this.config.hostname}${req.path}`;
    const client = await httpClient(await this.#hub(), 'ramen QueueReader');
    try {
      const res = await client.request(url, {
        method: 'POST', headers: req.headers, body: req.body, timeoutMs: this.config.server_timeout * 1000, retries: 0, accept: () => true, label: 'ramen',
      });
      return classify(res.status, res.body);
    } catch (err) {
      if (TspopError.is(err) && (err.code === 'TSPOP_ERR_HTTP_NETWORK' || err.code === 'TSPOP_ERR_HTTP_TIMEOUT')) return { kind: 'retry', reason: describeError(err) };
      throw err;
    }
  }

  async #done(rec: SpoolRecord, result: ConsumeResult): Promise<ConsumeResult> {
    await this.#spool.ack(rec);
    if (result === QueueReader.ACCEPTED) this.stats.accepted++;
    else this.stats.dropped++;
    return result;
  }
}

/** A writer and a reader on one config, the reader running in the background (as the original). */
export function createQueueReaderAndWriter(config: QueueReaderConfig): [QueueReader, QueueWriter] & { reader: QueueReader; writer: QueueWriter } {
  const reader = new QueueReader(config);
  const writer = new QueueWriter(config);
  reader.run({ blocking: true }).catch((err: unknown) => reader.config.logger.error('ramen: the background reader stopped', { error: describeError(err) }));
  return Object.assign([reader, writer] as [QueueReader, QueueWriter], { reader, writer });
}

/** What a ramen receiving server's handler gets: the envelope, with `data` revived (Dates, bigints, exact decimals). */
export interface RamenMessage {
  readonly sender: string;
  readonly system_serial: string | number;
  readonly system_version: string;
  readonly category: string;
  readonly type: string;
  readonly version: string;
  readonly reqid: string;
  readonly timestamp: string;
  readonly data: unknown;
}

export function parseRamenMessage(msg: { readonly body: Buffer }): RamenMessage {
  return parseTagged(msg.body.toString()) as RamenMessage;
}
