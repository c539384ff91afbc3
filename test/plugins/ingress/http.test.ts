import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EvbusHttpFailedError, EvbusHttpProfileError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import type { IngressEvent } from '../../../plugins/evbus/_lib/types.ts';
import { evbusHub } from '../../helpers/evbus.ts';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local endpoint whose status per request comes from `plan` (then 200); `delayMs` holds replies back. */
let server: Server;
let base = '';
let received: Received[] = [];
let plan: number[] = [];
let delayMs = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const status = plan.shift() ?? 200;
      setTimeout(() => res.writeHead(status).end('ok'), delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => {
  server.close(() => r());
  server.closeAllConnections();
}));

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  received = [];
  plan = [];
  delayMs = 0;
});

const event = (raw: unknown): IngressEvent => Object.freeze({
  profile: 'default', body: JSON.stringify(raw), raw, serial: 'json', contentType: 'application/json', id: 'x:1', seq: 1, timestamp: 0,
});
const ctx = (acct: unknown) => ({ acct, provider: 'http', profile: 'hook' });

describe('http ingress', () => {
  it('POSTs each event body through the bus with its content type and the profile\'s headers, in order', async () => {
    ({ hub } = await evbusHub());
    const profiles = { http: { hook: { url: `${base}/events?x=1`, headers: { 'X-Token': 't0k3n' }, username: 'u', password: 'p' } } };
    const running = hub.evbus.init.start({ profiles });
    await hub.evbus.init.join();
    for (let i = 0; i < 5; i++) await hub.evbus.broker.put({ i }, { profile: 'hook' });
    await hub.evbus.init.stop();
    await running;
    expect(received.map((r) => r.body)).toEqual([0, 1, 2, 3, 4].map((i) => JSON.stringify({ i })));
    expect(received[0]).toMatchObject({ method: 'POST', path: '/events?x=1' });
    expect(received[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 't0k3n', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    ({ hub } = await evbusHub());
    plan = [503, 429];
    await hub.ingress.http.publish(ctx({ url: base, retry_delay: 1 }), event('r'));
    expect(received).toHaveLength(3);
  });

  it('does not retry other 4xx; gives up after `retries` with TSPOP_ERR_EVBUS_HTTP_FAILED', async () => {
    ({ hub } = await evbusHub());
    plan = [400];
    await expect(hub.ingress.http.publish(ctx({ url: base, retry_delay: 1 }), event(1))).rejects.toBeInstanceOf(EvbusHttpFailedError);
    expect(received).toHaveLength(1);
    plan = [500, 500, 500];
    const err = await hub.ingress.http.publish(ctx({ url: `${base}/x?token=secret`, retries: 2, retry_delay: 1 }), event(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusHttpFailedError);
    expect((err as Error).message).toContain('HTTP 500');
    expect((err as Error).message).not.toContain('secret');
    expect(received).toHaveLength(4);
  });

  it('each attempt has a timeout', async () => {
    ({ hub } = await evbusHub());
    delayMs = 300;
    const err = await hub.ingress.http.publish(ctx({ url: base, timeout: 50, retries: 1, retry_delay: 1 }), event(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusHttpFailedError);
    expect((err as Error).message).toContain('timed out after 50 ms');
  });

  it('bad profiles fail start (through acct/evbus/http.ts) with TSPOP_ERR_EVBUS_HTTP_PROFILE naming the profile, not secrets', async () => {
    ({ hub } = await evbusHub());
    for (const bad of [{}, { url: 'ftp://x' }, { url: base, retries: -1 }, { url: base, nope: 1 }, { url: base, headers: { a: 1 } }, { url: 'http://u:pw@h/' }]) {
      const err = await hub.evbus.init.start({ profiles: { http: { hook: bad } } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EvbusHttpProfileError);
      expect((err as Error).message).toContain('http/hook');
      expect((err as Error).message).not.toContain('pw');
    }
  });
});
