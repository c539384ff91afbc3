/**
 * acct/evbus/amqp.ts: profile checks and the connection manager's buffering, without a broker (a refused port).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvbusAmqpClosedError, EvbusAmqpProfileError, EvbusContextError } from '../../../plugins/evbus/_errors.ts';
import type { Hub } from '../../../src/index.ts';
import { AmqpPublisher } from '../../../plugins/ingress/_lib/amqp-publisher.ts';
import { evbusHub, type MemoryLogger } from '../../helpers/evbus.ts';
import { deadPort } from '../../helpers/tcp-proxy.ts';

const SECRET = 'Sup3r-S3cret-pw';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('acct/evbus/amqp gather', () => {
  it('serves the amqp, pika and rabbitmq providers and builds a connection manager per profile', async () => {
    ({ hub } = await evbusHub());
    const port = await deadPort();
    const gathered = await hub.evbus.acct.gather({
      pika: { old: { host: '127.0.0.1', port, username: 'u', password: SECRET, ingress_channels: ['channel1', 'channel2'] } },
      rabbitmq: { r: { host: '127.0.0.1', port, exchange: 'events', routing_key: 'k', vhost: '/app', tls: false } },
      internal: { raw: { routing_key: 'x' } },
    });
    expect(hub.acct.evbus.amqp.ACCT).toEqual(['amqp', 'pika', 'rabbitmq']);
    const old = gathered.pika.old as AmqpPublisher;
    expect(old).toBeInstanceOf(AmqpPublisher);
    expect(old.profile).toMatchObject({ label: 'pika/old', port, queues: ['channel1', 'channel2'], targets: [{ exchange: '', routingKey: 'channel1' }, { exchange: '', routingKey: 'channel2' }] });
    expect((gathered.rabbitmq.r as AmqpPublisher).profile).toMatchObject({ exchange: 'events', queues: [], targets: [{ exchange: 'events', routingKey: 'k' }], vhost: '/app' });
    expect(gathered.internal).toEqual({ raw: { routing_key: 'x' } }); // no gather plugin: passed through
    await hub.evbus.acct.close(gathered);
  });

  it.each([
    [{ ingress_channels: ['q'], port: 'x' }, '"port"'],
    [{ ingress_channels: ['q'], port: 70000 }, '"port"'],
    [{ ingress_channels: 'q', password: 42 }, '"password"'],
    [{ ingress_channels: [''] }, '"ingress_channels"'],
    [{ host: 'h' }, 'ingress_channels'],
    [{ ingress_channels: ['q'], ingress_channel: ['typo'] }, 'ingress_channel'],
    [{ ingress_channels: ['q'], tls: { verify: true } }, 'tls'],
    [{ ingress_channels: ['q'], heartbeat: -1 }, '"heartbeat"'],
    ['not a mapping', 'mapping'],
  ])('rejects %j with TSPOP_ERR_EVBUS_AMQP_PROFILE naming the profile and key, never the password', async (raw, key) => {
    ({ hub } = await evbusHub());
    const data = typeof raw === 'object' ? { password: SECRET, ...raw } : raw;
    const err = await hub.evbus.acct.gather({ amqp: { prod: data } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusAmqpProfileError);
    expect((err as Error).message).toContain('amqp/prod');
    expect((err as Error).message).toContain(key);
    expect((err as Error).message).not.toContain(SECRET);
  });

  it('a bad profile fails start() before any connection is opened', async () => {
    ({ hub } = await evbusHub());
    const profiles = { amqp: { good: { ingress_channels: ['q'], port: await deadPort() }, bad: { port: 0, ingress_channels: ['q'] } } };
    await expect(hub.evbus.init.start({ profiles })).rejects.toBeInstanceOf(EvbusAmqpProfileError);
  });

  it('an unprocessed amqp profile reaching the ingress fails that publish with TSPOP_ERR_EVBUS_CONTEXT', async () => {
    ({ hub } = await evbusHub());
    const ctx = { acct: { host: 'h', password: SECRET }, provider: 'amqp', profile: 'raw' };
    const err = await hub.ingress.amqp.publish(ctx, { body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvbusContextError);
    expect((err as Error).message).not.toContain(SECRET);
  });
});

describe('AMQP connection manager without a broker', () => {
  it('buffers while disconnected (bounded: publish waits beyond buffer_size) and close() fails what is left', async () => {
    let log: MemoryLogger;
    ({ hub, log } = await evbusHub());
    const gathered = await hub.evbus.acct.gather({
      amqp: { down: { host: '127.0.0.1', port: await deadPort(), password: SECRET, ingress_channels: ['q'], buffer_size: 2, min_backoff: 10, max_backoff: 20 } },
    });
    const p = gathered.amqp.down as AmqpPublisher;
    const settled: string[] = [];
    const track = (name: string, pr: Promise<void>) => pr.then(() => settled.push(`${name} ok`), (e: unknown) => settled.push(`${name} ${(e as { code?: string }).code}`));
    const all = [track('a', p.publish('a')), track('b', p.publish('b')), track('c', p.publish('c'))];
    await vi.waitFor(() => expect(log.records.some((r) => r.msg.includes('amqp connect failed'))).toBe(true), { timeout: 20_000 });
    expect(p.connected).toBe(false);
    await vi.waitFor(() => expect(p.pending).toBe(2), { timeout: 20_000 }); // the third waits for room
    expect(settled).toEqual([]);
    await p.close(0);
    await Promise.all(all);
    expect(settled).toEqual(['a TSPOP_ERR_EVBUS_AMQP_CLOSED', 'b TSPOP_ERR_EVBUS_AMQP_CLOSED', 'c TSPOP_ERR_EVBUS_AMQP_CLOSED']);
    await expect(p.publish('late')).rejects.toBeInstanceOf(EvbusAmqpClosedError);
    // the first failed attempt is said once, by the shared amqp layer, naming the profile
    const first = log.records.filter((r) => r.msg.includes('amqp connect failed') && (r.fields as { attempt?: number }).attempt === 1);
    expect(first).toHaveLength(1);
    expect(first[0]?.fields).toMatchObject({ profile: 'amqp/down' });
    expect(JSON.stringify(log.records)).not.toContain(SECRET);
  });
});
