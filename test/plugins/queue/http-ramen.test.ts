import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, QueueAuthError, QueueSendError, type Hub } from '../../../src/index.ts';
import { QueueReader, QueueWriter, createQueueReaderAndWriter, parseRamenMessage, type QueueReaderConfig } from '../../../plugins/queue/_facade/ramen.ts';
import type { QueueMessage, TransportConsumer } from '../../../plugins/queue/_lib/types.ts';
import { queueHub, sleep, until } from '../../helpers/queue.ts';

let hub: Hub | undefined;
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await hub?.close();
  hub = undefined;
});

/** A ramen receiving server on a free loopback port; `behave` decides per message (throw -> 503). */
async function ramenServer(h: Hub, behave: (m: ReturnType<typeof parseRamenMessage>) => void = () => undefined) {
  const got: ReturnType<typeof parseRamenMessage>[] = [];
  const server = (await h.queue.init.consumer('http', { queue: 'ramen', port: 0, wire: 'ramen', authToken: 'good-token' })) as TransportConsumer & { port: number };
  await server.listen((m: QueueMessage) => {
    const r = parseRamenMessage(m);
    behave(r);
    got.push(r);
  });
  cleanup.push(() => server.close());
  return { got, port: server.port };
}

function config(port: number, extra: Partial<QueueReaderConfig> = {}): QueueReaderConfig {
  const queue_dir = mkdtempSync(join(tmpdir(), 'tspop-ramen-'));
  cleanup.push(() => rmSync(queue_dir, { recursive: true, force: true }));
  return {
    sender: 'imx', system_serial: 1099, system_version: '3.0.0.1', queue_dir, hostname: `127.0.0.1:${port}`, auth_token: 'good-token',
    ssl: false, polling_delay: 0.01, retry_delay: 0.01, logger: createMemoryLogger(), ...extra,
  };
}

describe('http transport over loopback', () => {
  it('producer -> consumer with streamtools send options; a failing handler answers 503 and the producer retries', async () => {
    ({ hub } = await queueHub());
    const c = (await hub.queue.init.consumer('http', { queue: 'orders', port: 0 })) as TransportConsumer & { port: number };
    let fail = 1;
    const got: QueueMessage[] = [];
    await c.listen((m: QueueMessage) => {
      if (fail-- > 0) throw new Error('not yet');
      got.push(m);
    });
    cleanup.push(() => c.close());
    const p = await hub.queue.init.producer('http', { queue: 'orders', port: c.port });
    await p.send('{"id":1}', { method: 'POST', headers_tag: 'JSON' });
    expect(got.map((m) => [m.body.toString(), m.contentType])).toEqual([['{"id":1}', 'application/json']]);
    await expect(p.send('x', { endpoint: `http://127.0.0.1:${c.port}/nowhere` })).rejects.toBeInstanceOf(QueueSendError);
  });

  it('sends through the shared hub.http.client: a 404 is refused at once, a 503 is retried, Retry-After honoured', async () => {
    ({ hub } = await queueHub());
    const statuses = [503, 503, 202];
    const seen: number[] = [];
    const server = createServer((req, res) => {
      seen.push(Date.now());
      if (req.url === '/missing') return void res.writeHead(404).end('no such queue');
      res.writeHead(statuses.shift() ?? 202, { 'retry-after': '1' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as AddressInfo).port;
    const p = await hub.queue.init.producer('http', { queue: 'orders', port, retries: 3 });
    await p.send('{"n":1}');
    expect(seen).toHaveLength(3);
    // the server asked for 1 s between attempts (the client's own backoff starts at 100 ms)
    expect((seen[2] as number) - (seen[0] as number)).toBeGreaterThanOrEqual(1900);
    const err = await p.send('x', { endpoint: `http://127.0.0.1:${port}/missing` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueSendError);
    expect((err as Error).cause).toMatchObject({ code: 'TSPOP_ERR_HTTP_STATUS', status: 404, attempts: 1 });
    expect(hub.http.client.request).toBeTypeOf('function');
  });
});

describe('ramen: QueueWriter -> QueueReader -> receiving server', () => {
  it('forwards what was pushed; Dates and big decimals survive; a repeated reqid is stored once', async () => {
    ({ hub } = await queueHub());
    const { got, port } = await ramenServer(hub);
    const cfg = config(port);
    const w = new QueueWriter(cfg);
    cleanup.push(() => w.close());
    const when = new Date('2024-05-06T07:08:09.123Z');
    const decimal = { constructor: { name: 'Decimal' }, toFixed: () => '', toString: () => '12345678901234567890.0001' };
    await w.push('metrics', 'san_totals', 'v1', { nums: [0, 1], text: 'hi', when, big: 2n ** 70n, price: Object.setPrototypeOf(decimal, { constructor: { name: 'Decimal' } }) }, { reqid: 'r-1' });
    await w.push('metrics', 'san_totals', 'v1', { again: true }, { reqid: 'r-1' });
    expect(await w.queueSize()).toBe(2);
    const r = new QueueReader(cfg);
    cleanup.push(() => r.close());
    expect(await r.run({ blocking: false })).toBe(2);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ sender: 'imx', system_serial: 1099, category: 'metrics', type: 'san_totals', version: 'v1', reqid: 'r-1' });
    const data = got[0]?.data as Record<string, unknown>;
    expect(data.when).toEqual(when);
    expect(data.big).toBe(2n ** 70n);
    expect(data.nums).toEqual([0, 1]);
    expect(await w.queueSize()).toBe(0);
    expect(await r.testConnection()).toBe(true);
  });

  it('temporary failures stay queued (RETRY), permanent ones are dropped and the path blacklisted for blacklist_ttl', async () => {
    ({ hub } = await queueHub());
    let mode: 'down' | 'ok' = 'down';
    const { got, port } = await ramenServer(hub, () => {
      if (mode === 'down') throw new Error('database down');
    });
    const cfg = config(port, { blacklist_ttl: 0.5 });
    const w = new QueueWriter(cfg);
    cleanup.push(() => w.close());
    const r = new QueueReader(cfg);
    cleanup.push(() => r.close());
    await w.push('metrics', 'san_totals', 1, { a: 1 });
    expect(await r.consumeOne()).toBe(QueueReader.RETRY);
    expect(await w.queueSize()).toBe(1);
    mode = 'ok';
    expect(await r.consumeOne()).toBe(QueueReader.ACCEPTED);
    expect(await r.consumeOne()).toBe(QueueReader.EMPTY);
    expect(got).toHaveLength(1);

    // a URL the server does not serve: permanent -> dropped; the next record to that path is dropped unsent
    const bad = new QueueReader({ ...cfg, hostname: `127.0.0.1:${port}/nope` });
    await r.close();
    cleanup.push(() => bad.close());
    await w.push('events', 'x', 1, {});
    expect(await bad.consumeOne()).toBe(QueueReader.DROPPED);
    await w.push('events', 'x', 1, {});
    expect(await bad.consumeOne()).toBe(QueueReader.DROPPED);
    expect(bad.blacklist.size).toBe(1);
    await sleep(600);
    expect(bad.blacklist.matches({ path: '/api/v1/events/x/1' })).toBe(false);
  });

  it('a refused token is a coded error, and testConnection() says false', async () => {
    ({ hub } = await queueHub());
    const { port } = await ramenServer(hub);
    const cfg = config(port, { auth_token: 'bad-token' });
    const w = new QueueWriter(cfg);
    cleanup.push(() => w.close());
    await w.push('metrics', 'san_totals', 1, {});
    const r = new QueueReader(cfg);
    cleanup.push(() => r.close());
    await expect(r.consumeOne()).rejects.toBeInstanceOf(QueueAuthError);
    expect(await r.testConnection()).toBe(false);
    expect(await w.queueSize()).toBe(1);
  });

  it('createQueueReaderAndWriter: the background reader drains pushes; after stop() they stay queued', async () => {
    ({ hub } = await queueHub());
    const { got, port } = await ramenServer(hub);
    const cfg = config(port);
    const [reader, writer] = createQueueReaderAndWriter(cfg);
    cleanup.push(() => writer.close(), () => reader.close());
    for (let i = 0; i < 3; i++) await writer.push('metrics', 'san_totals', 1, { i });
    await until(() => got.length === 3);
    await reader.stop();
    await writer.push('metrics', 'san_totals', 1, { i: 3 });
    await sleep(100);
    expect(await writer.queueSize()).toBe(1);
    expect(await reader.run({ blocking: false })).toBe(1);
    expect(got.map((g) => (g.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
  });

  it('the reader forwards to any producer (here the memory transport)', async () => {
    ({ hub } = await queueHub());
    const out = await hub.queue.init.producer('memory', { queue: 'ramen-out' });
    const c = await hub.queue.init.consumer('memory', { queue: 'ramen-out' });
    const got: unknown[] = [];
    await c.listen((m: QueueMessage) => void got.push(JSON.parse(m.body.toString())));
    const cfg = config(1, { hostname: undefined, auth_token: undefined, producer: out });
    const w = new QueueWriter(cfg);
    cleanup.push(() => w.close());
    await w.push('metrics', 'san_totals', 'v2', { n: 5 });
    const r = new QueueReader(cfg);
    cleanup.push(() => r.close());
    expect(await r.run({ blocking: false })).toBe(1);
    expect(got).toEqual([expect.objectContaining({ category: 'metrics', type: 'san_totals', version: 'v2', data: { n: 5 }, sender: 'imx' })]);
  });
});
