/**
 * Wire compatibility, proved without the project's own client: a raw amqplib client builds dripline v3
 * messages by hand as dripline-cpp 2.x sends them (integer headers as unsigned 32-bit, sender_info table, JSON
 * body, message ids with chunk numbers) and reads the replies; a sniffing proxy on its connection checks the
 * reply headers' type tags byte by byte, and rabbitmqctl shows the declares dripline-cpp would make.
 */
import { randomUUID } from 'node:crypto';
import { createServer, connect as tcpConnect, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Hub } from '../../../src/index.ts';
import { BROKER, createVhost, deleteVhost, rabbitmqctl } from '../../helpers/rabbitmq.ts';
import { itWith, requireService } from '../../helpers/services.ts';
import { driplineHub, uniqueName } from '../../helpers/dripline.ts';

const it = itWith('rabbitmq');
const { available } = requireService('rabbitmq');

const u32 = (value: number) => ({ '!': 'uint32', value });
const SENDER = {
  exe: '/usr/local/bin/dl-agent', hostname: 'daq-1', username: 'operator', service_name: 'dl-agent',
  versions: { 'dripline-cpp': { version: '2.10.4', commit: 'g1234567', package: 'dripline-cpp' }, scarab: { version: '3.13.2' } },
};

let hub: Hub;
let vhost: string;
let name: string;
let stop: () => Promise<void>;
let proxy: Server;
const fromBroker: Buffer[] = [];
let conn: ChannelModel;
let ch: Channel;
let replyQueue: string;
const replies: ConsumeMessage[] = [];

/** A loopback TCP proxy to the broker that records what the broker sends the raw client. */
function sniffingProxy(): Promise<Server> {
  const server = createServer((client) => {
    const upstream = tcpConnect(BROKER.port, BROKER.hostname);
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => {
      fromBroker.push(Buffer.from(d));
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  if (!available) return;
  vhost = await createVhost();
  name = uniqueName('wire');
  ({ hub } = await driplineHub());
  const svc = await hub.dripline.service.start({
    name,
    heartbeat_interval_s: 0,
    endpoints: [
      { name: `${name}_peaches`, module: 'kv_store', calibration: '2*{}', initial_value: 0.75 },
      { name: `${name}_raw`, module: 'kv_store' },
    ],
  }, { broker: '127.0.0.1', mesh: { vhost }, userMesh: false });
  stop = svc.stop;
  proxy = await sniffingProxy();
});

/**
 * The raw client's connection, made (again) when needed: other test runs on this machine may restart the shared
 * broker, and a raw amqplib connection, unlike the service's, does not come back by itself.
 */
let rawUp = false;
async function raw(): Promise<void> {
  if (rawUp) return;
  const port = (proxy.address() as { port: number }).port;
  conn = await connect({ ...BROKER, port, vhost });
  conn.on('close', () => (rawUp = false));
  conn.on('error', () => undefined);
  ch = await conn.createChannel();
  // dripline-cpp's own declares: a mismatch with the service's would fail here with PRECONDITION_FAILED
  await ch.assertExchange('requests', 'topic', { durable: false, autoDelete: false });
  replyQueue = (await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false })).queue;
  await ch.bindQueue(replyQueue, 'requests', replyQueue);
  await ch.consume(replyQueue, (m) => m && replies.push(m), { noAck: true });
  rawUp = true;
}

afterAll(async () => {
  if (!available) return;
  if (rawUp) await conn.close().catch(() => undefined);
  proxy.close();
  await stop();
  await hub.close();
  await deleteVhost(vhost);
});

interface RawRequest {
  routingKey: string;
  headers?: Record<string, unknown>;
  body?: string | Buffer;
  contentEncoding?: string;
  messageId?: string;
  correlationId?: string;
}

function requestHeaders(op: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message_type: u32(3), message_operation: u32(op), specifier: '', timestamp: '2025-01-02T03:04:05.678901Z', lockout_key: '', sender_info: SENDER, ...extra };
}

function publish(r: RawRequest): string {
  const correlationId = r.correlationId ?? randomUUID();
  ch.publish('requests', r.routingKey, Buffer.from(r.body ?? '{}'), {
    contentEncoding: r.contentEncoding ?? 'application/json', correlationId, replyTo: replyQueue,
    messageId: r.messageId ?? `${randomUUID()}/0/1`, headers: r.headers ?? requestHeaders(1), mandatory: true,
  });
  return correlationId;
}

/** The reply chunks for `correlationId`, in chunk order, once all arrived. */
async function replyTo(correlationId: string, ms = 10_000): Promise<{ chunks: ConsumeMessage[]; payload: unknown; headers: Record<string, unknown> }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const mine = replies.filter((m) => m.properties.correlationId === correlationId);
    const total = mine.length > 0 ? Number(String(mine[0]?.properties.messageId).split('/')[2]) : Infinity;
    if (mine.length >= total) {
      const chunks = [...mine].sort((a, b) => Number(String(a.properties.messageId).split('/')[1]) - Number(String(b.properties.messageId).split('/')[1]));
      const text = Buffer.concat(chunks.map((c) => c.content)).toString('utf8');
      return { chunks, payload: JSON.parse(text), headers: chunks[0]?.properties.headers as Record<string, unknown> };
    }
    if (Date.now() > deadline) throw new Error(`no whole reply to ${correlationId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const send = (r: RawRequest) => replyTo(publish(r));

// the broker is shared with other test runs on this machine, which may restart it: a test that met the outage runs again
describe('wire compatibility with dripline-cpp 2.x clients (raw amqplib)', { retry: 2 }, () => {
  beforeEach(raw);

  it('answers a hand-built v3 get with a v3 reply: headers, properties and JSON body', async () => {
    const correlationId = publish({ routingKey: `${name}_peaches` });
    const { chunks, payload, headers } = await replyTo(correlationId);
    const reply = chunks[0] as ConsumeMessage;
    expect(reply.fields.exchange).toBe('requests');
    expect(reply.fields.routingKey).toBe(replyQueue);
    expect(reply.properties.correlationId).toBe(correlationId);
    expect(reply.properties.contentEncoding).toBe('application/json');
    expect(reply.properties.messageId).toMatch(/^[0-9a-f-]{36}\/0\/1$/);
    expect(headers).toMatchObject({ message_type: 2, return_code: 0, return_message: '', specifier: '' });
    expect(headers.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(headers.sender_info).toMatchObject({ service_name: name, exe: expect.any(String), hostname: expect.any(String), username: expect.any(String), versions: { tspop: { version: expect.any(String) } } });
    expect(payload).toEqual({ value_raw: 0.75, value_cal: 1.5 });
  });

  it('sends integer headers with the unsigned 32-bit tag (i), as dripline-cpp reads them', async () => {
    fromBroker.length = 0;
    await send({ routingKey: `${name}_peaches`, headers: requestHeaders(1, { specifier: 'no_such_attribute' }) });
    const wire = Buffer.concat(fromBroker);
    const field = (key: string, value: number) => Buffer.concat([Buffer.from([key.length]), Buffer.from(key), Buffer.from('i'), Buffer.from([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255])]);
    expect(wire.includes(field('message_type', 2))).toBe(true);
    expect(wire.includes(field('return_code', 310))).toBe(true);
  });

  it('accepts any integer type in headers (signed byte, short, long) and set/cmd operations', async () => {
    const set = await send({ routingKey: `${name}_peaches`, headers: { ...requestHeaders(0), message_type: 3, message_operation: 0 }, body: '{"values": [2]}' });
    expect(set.headers.return_code).toBe(0);
    const get = await send({ routingKey: `${name}_peaches`, headers: { ...requestHeaders(1), message_type: { '!': 'int64', value: 3 }, message_operation: { '!': 'int16', value: 1 } } });
    expect(get.payload).toEqual({ value_raw: 2, value_cal: 4 });
    const ping = await send({ routingKey: name, headers: requestHeaders(9, { specifier: 'ping' }) });
    expect(ping.headers).toMatchObject({ return_code: 0, return_message: 'Hello, /usr/local/bin/dl-agent' });
  });

  it('reassembles a request split into chunks <uuid>/<i>/<n> sent out of order, and splits a large reply', async () => {
    const big = 'x'.repeat(25_000);
    const body = Buffer.from(JSON.stringify({ values: [big] }));
    const id = randomUUID();
    const correlationId = randomUUID();
    const cut = [0, 9000, 18_000, body.length];
    for (const i of [2, 0, 1]) publish({ routingKey: `${name}_raw`, headers: requestHeaders(0), body: body.subarray(cut[i], cut[i + 1]), messageId: `${id}/${i}/3`, correlationId });
    expect((await replyTo(correlationId)).headers.return_code).toBe(0);
    const got = await send({ routingKey: `${name}_raw` });
    expect(got.chunks.length).toBeGreaterThan(1);
    expect(new Set(got.chunks.map((c) => String(c.properties.messageId).split('/')[0])).size).toBe(1);
    for (const c of got.chunks) expect(c.properties.headers).toEqual(got.chunks[0]?.properties.headers);
    expect(got.payload).toEqual({ value_raw: big });
  });

  it('answers malformed messages with the right code and keeps serving', async () => {
    const code = async (r: RawRequest) => (await send(r)).headers.return_code;
    expect(await code({ routingKey: `${name}_peaches`, body: '{"values": [1' })).toBe(302);
    expect(await code({ routingKey: `${name}_peaches`, contentEncoding: 'application/msgpack' })).toBe(301);
    expect(await code({ routingKey: `${name}_peaches`, headers: { message_operation: u32(1) } })).toBe(302);
    expect(await code({ routingKey: `${name}_peaches`, headers: requestHeaders(5) })).toBe(306);
    expect(await code({ routingKey: `${name}_peaches`, headers: requestHeaders(1, { lockout_key: 'xyz' }) })).toBe(308);
    expect(await code({ routingKey: `${name}_peaches`, messageId: 'abc/5/2' })).toBe(302);
    expect(await code({ routingKey: `${name}_peaches`, headers: requestHeaders(0), body: '{}' })).toBe(303);
    const bad = await send({ routingKey: `${name}_peaches`, body: 'not json at all' });
    expect(bad.payload).toMatchObject({ invalid: 'not json at all', error: expect.stringContaining('not JSON') });
    // an alert or reply on the service's queue is ignored, not answered
    ch.publish('requests', `${name}_peaches`, Buffer.from('{}'), { contentEncoding: 'application/json', headers: { message_type: u32(4), sender_info: SENDER } });
    expect((await send({ routingKey: `${name}_peaches` })).headers.return_code).toBe(0);
  });

  it('declares what dripline-cpp declares: topic exchanges not durable, the service queue exclusive and auto-delete', async () => {
    const exchanges = await rabbitmqctl('list_exchanges', '-p', vhost, 'name', 'type', 'durable', 'auto_delete', '--no-table-headers', '--silent');
    expect(exchanges).toMatch(/^requests\ttopic\tfalse\tfalse$/m);
    expect(exchanges).toMatch(/^alerts\ttopic\tfalse\tfalse$/m);
    const queues = await rabbitmqctl('list_queues', '-p', vhost, 'name', 'durable', 'auto_delete', 'exclusive', '--no-table-headers', '--silent');
    expect(queues).toMatch(new RegExp(`^${name}\\tfalse\\ttrue\\ttrue$`, 'm'));
    const bindings = await rabbitmqctl('list_bindings', '-p', vhost, 'source_name', 'destination_name', 'routing_key', '--no-table-headers', '--silent');
    for (const key of [`${name}.#`, 'broadcast.#', `${name}_peaches.#`, `${name}_raw.#`]) expect(bindings).toContain(`requests\t${name}\t${key}`);
    // a durable declare of the same exchange is refused: the service did not declare it durable
    const other = await conn.createChannel();
    other.on('error', () => undefined);
    await expect(other.assertExchange('alerts', 'topic', { durable: true })).rejects.toThrow(/PRECONDITION_FAILED/);
  });
});
