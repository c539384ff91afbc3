/** hub.http.client.request against a local HTTP server whose answers each test plans. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Hub, createMemoryLogger } from '../../../src/index.ts';
import { HttpAbortedError, HttpBodyError, HttpNetworkError, HttpOptionsError, HttpStatusError, HttpTimeoutError } from '../../../plugins/http/_errors.ts';
import { TSPOP_ROOT } from '../../helpers/evbus.ts';
import { deadPort } from '../../helpers/tcp-proxy.ts';

interface Planned {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

let server: Server;
let base = '';
let received: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }> = [];
let plan: Planned[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const p = plan.shift() ?? { status: 200, body: 'ok' };
      setTimeout(() => res.writeHead(p.status, p.headers).end(p.body ?? ''), p.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => {
  server.close(() => r());
  server.closeAllConnections();
}));

let hub: Hub;
beforeAll(async () => {
  hub = await Hub.create({ root: TSPOP_ROOT, logger: createMemoryLogger() });
  await hub.pop.sub.add({ dyneName: 'http' });
});
afterAll(() => hub.close());
afterEach(() => {
  received = [];
  plan = [];
});

describe('hub.http.client.request', () => {
  it('GETs by default and gives the status, headers and body; json() parses it', async () => {
    plan = [{ status: 200, body: '{"a":1}', headers: { 'content-type': 'application/json' } }];

    const res = await hub.http.client.request(`${base}/items?x=1`);

    expect(res).toMatchObject({ status: 200, attempts: 1 });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json()).toEqual({ a: 1 });
    expect(received[0]).toMatchObject({ method: 'GET', path: '/items?x=1' });
  });

  it('json sends a POST with content-type application/json and the headers given', async () => {
    await hub.http.client.request(base, { json: { n: 1 }, headers: { 'X-Token': 't0k3n' } });

    expect(received[0]).toMatchObject({ method: 'POST', body: '{"n":1}' });
    expect(received[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 't0k3n' });
  });

  it('retries 5xx and 429 with backoff, then resolves', async () => {
    plan = [{ status: 503 }, { status: 429 }];

    const res = await hub.http.client.request(base, { method: 'PUT', body: 'b', retryDelayMs: 1 });

    expect(res.attempts).toBe(3);
    expect(received.map((r) => r.body)).toEqual(['b', 'b', 'b']);
  });

  it('honours Retry-After (seconds), capped by maxRetryDelayMs', async () => {
    plan = [{ status: 503, headers: { 'retry-after': '120' } }];
    const t0 = Date.now();

    await hub.http.client.request(base, { retryDelayMs: 1, maxRetryDelayMs: 50 });

    expect(Date.now() - t0).toBeLessThan(5000);
    expect(received).toHaveLength(2);
  });

  it('does not retry other 4xx: TSPOP_ERR_HTTP_STATUS with the status; the message names no query string', async () => {
    plan = [{ status: 404 }];

    const err = await hub.http.client.request(`${base}/x?token=s3cr3t`, { retryDelayMs: 1, label: 'hook' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toMatchObject({ status: 404, attempts: 1 });
    expect((err as Error).message).toBe(`hook: GET ${base}/x failed: HTTP 404`);
    expect(received).toHaveLength(1);
  });

  it('gives up after `retries`: the last status, and how many attempts it took', async () => {
    plan = [{ status: 500 }, { status: 500 }, { status: 502 }];

    const err = await hub.http.client.request(base, { retries: 2, retryDelayMs: 1 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toMatchObject({ status: 502, attempts: 3 });
  });

  it('each attempt has a timeout: TSPOP_ERR_HTTP_TIMEOUT', async () => {
    plan = [{ status: 200, delayMs: 300 }, { status: 200, delayMs: 300 }];

    const err = await hub.http.client.request(base, { timeoutMs: 50, retries: 1, retryDelayMs: 1 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect((err as Error).message).toContain('timed out after 50 ms');
    expect(err).toMatchObject({ attempts: 2 });
  });

  it('a refused connection is retried, then TSPOP_ERR_HTTP_NETWORK naming the socket error', async () => {
    const port = await deadPort();

    const err = await hub.http.client.request(`http://127.0.0.1:${port}/`, { retries: 1, retryDelayMs: 1 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpNetworkError);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(err).toMatchObject({ attempts: 2 });
  });

  it('the caller\'s signal aborts at once, without retrying: TSPOP_ERR_HTTP_ABORTED', async () => {
    plan = [{ status: 200, delayMs: 2000 }];
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 30);

    const err = await hub.http.client.request(base, { signal: ctl.signal }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpAbortedError);
    expect(received).toHaveLength(1);
  });

  it('accept widens what resolves; json() on a body that is not JSON is TSPOP_ERR_HTTP_BODY', async () => {
    plan = [{ status: 404, body: 'nope' }];

    const res = await hub.http.client.request(base, { accept: (s: number) => s === 404 });

    expect(res.status).toBe(404);
    expect(res.text()).toBe('nope');
    expect(() => res.json()).toThrow(HttpBodyError);
  });

  it.each([
    ['http://user:pw@127.0.0.1/', {}, 'credentials'],
    ['ftp://x', {}, 'http://'],
    ['not a url with s3cr3t', {}, 'not valid'],
    ['http://h/', { retries: -1 }, '"retries"'],
    ['http://h/', { headers: { a: 1 } }, 'header "a"'],
    ['http://h/', { body: 'x', json: {} }, 'not both'],
    ['http://h/', { timout: 1 }, 'timout'],
  ])('rejects %s %j with TSPOP_ERR_HTTP_OPTIONS, echoing no secret', async (url, opts, text) => {
    const err = await hub.http.client.request(url, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpOptionsError);
    expect((err as Error).message).toContain(text);
    expect((err as Error).message).not.toMatch(/pw|s3cr3t/);
  });
});
