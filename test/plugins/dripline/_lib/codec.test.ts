import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type AmqpIncoming, type AmqpOutgoing } from '../../../../plugins/dripline/_lib/codec.ts';
import { Reassembler, parseMessageId, splitBody } from '../../../../plugins/dripline/_lib/chunks.ts';
import { driplineTimestamp } from '../../../../plugins/dripline/_lib/timestamp.ts';
import { senderInfo } from '../../../../plugins/dripline/_lib/sender-info.ts';
import type { DriplineRequest } from '../../../../plugins/dripline/_lib/message.ts';
import { DriplineMessageError } from '../../../../plugins/dripline/_errors.ts';

function request(payload: unknown): DriplineRequest {
  return {
    type: 'request', routingKey: 'peaches', correlationId: 'c-1', messageId: '', replyTo: 'amq.gen-1', specifier: 'calibration',
    timestamp: driplineTimestamp(), senderInfo: senderInfo('tester'), payload, operation: 1, lockoutKey: '',
  };
}

/** What a consumer would receive for an outgoing message (amqplib decodes typed fields back to numbers). */
function delivered(out: AmqpOutgoing, routingKey = 'peaches'): AmqpIncoming {
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out.options.headers)) headers[k] = v && typeof v === 'object' && '!' in v ? (v as unknown as { value: unknown }).value : v;
  return { content: out.body, fields: { routingKey }, properties: { ...out.options, headers } };
}

describe('the wire codec', () => {
  it('sends integer headers as unsigned 32-bit typed values and the payload as the JSON body', () => {
    const [out] = encodeMessage(request({ values: [1.5] }), 10_000);
    expect(out?.options.headers.message_type).toEqual({ '!': 'uint32', value: 3 });
    expect(out?.options.headers.message_operation).toEqual({ '!': 'uint32', value: 1 });
    expect(out?.options.contentEncoding).toBe('application/json');
    expect(out?.options.messageId).toMatch(/^[0-9a-f-]{36}\/0\/1$/);
    expect(JSON.parse(String(out?.body))).toEqual({ values: [1.5] });
    const info = out?.options.headers.sender_info as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['exe', 'hostname', 'service_name', 'username', 'versions']);
  });

  it('timestamps with microseconds, UTC', () => {
    expect(driplineTimestamp(1_700_000_000_123_456)).toBe('2023-11-14T22:13:20.123456Z');
    expect(driplineTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('round-trips a request, reading any integer type', () => {
    const [out] = encodeMessage(request({ values: ['x'], force: true }), 10_000);
    const msg = delivered(out as AmqpOutgoing);
    (msg.properties.headers as Record<string, unknown>).message_type = BigInt(3);
    const { message } = decodeMessage([msg]);
    expect(message).toMatchObject({ type: 'request', operation: 1, specifier: 'calibration', replyTo: 'amq.gen-1', correlationId: 'c-1', payload: { values: ['x'], force: true } });
    expect(message?.senderInfo.service_name).toBe('tester');
  });

  it('treats an empty body, null and {} as an empty payload', () => {
    const [out] = encodeMessage(request(undefined), 10_000);
    expect(String(out?.body)).toBe('{}');
    for (const body of ['', 'null', '{}', '  ']) {
      const msg = { ...delivered(out as AmqpOutgoing), content: Buffer.from(body) };
      expect(decodeMessage([msg]).message?.payload, JSON.stringify(body)).toBeUndefined();
    }
  });

  it('answers what is not a v3 message with the code a reply should carry', () => {
    const [out] = encodeMessage(request(undefined), 10_000);
    const base = delivered(out as AmqpOutgoing);
    expect(decodeMessage([{ ...base, content: Buffer.from('{not json') }]).invalid?.returnCode).toBe(302);
    expect(decodeMessage([{ ...base, properties: { ...base.properties, contentEncoding: 'application/msgpack' } }]).invalid?.returnCode).toBe(301);
    expect(decodeMessage([{ ...base, properties: { ...base.properties, headers: {} } }]).invalid?.returnCode).toBe(302);
    expect(decodeMessage([{ ...base, properties: { ...base.properties, headers: { message_type: 7 } } }]).invalid?.returnCode).toBe(302);
    // a missing content encoding is read as JSON (hand-built clients often leave it out)
    expect(decodeMessage([{ ...base, properties: { ...base.properties, contentEncoding: undefined } }]).message?.type).toBe('request');
  });

  it('splits a large payload into chunks <uuid>/<i>/<n> that reassemble, also out of order', () => {
    const payload = { values: ['é'.repeat(30_000)] };
    const outs = encodeMessage(request(payload), 10_000);
    expect(outs.length).toBeGreaterThan(5);
    const ids = outs.map((o) => parseMessageId(o.options.messageId));
    expect(new Set(ids.map((i) => i.uuid)).size).toBe(1);
    expect(ids.map((i) => i.index)).toEqual(outs.map((_, i) => i));
    for (const o of outs) expect(o.body.length).toBeLessThanOrEqual(10_000);
    // every piece is valid UTF-8 on its own (cuts never split a character)
    for (const o of outs) expect(Buffer.from(o.body.toString('utf8')).equals(o.body)).toBe(true);

    const r = new Reassembler<AmqpIncoming>(5000, () => undefined);
    let whole: AmqpIncoming[] | undefined;
    for (const i of [...outs.keys()].reverse()) whole = r.add(ids[i] as never, delivered(outs[i] as AmqpOutgoing)) ?? whole;
    expect(decodeMessage(whole as AmqpIncoming[]).message?.payload).toEqual(payload);
    r.clear();
  });

  it('an incomplete message is handed over after the timeout and decodes as 302', async () => {
    const outs = encodeMessage(request({ values: ['x'.repeat(50)] }), 16);
    let incomplete: (AmqpIncoming | undefined)[] | undefined;
    const r = new Reassembler<AmqpIncoming>(30, (parts) => (incomplete = parts));
    r.add(parseMessageId(outs[0]?.options.messageId), delivered(outs[0] as AmqpOutgoing));
    await new Promise((res) => setTimeout(res, 80));
    expect(incomplete?.length).toBe(outs.length);
    expect(decodeMessage(incomplete as (AmqpIncoming | undefined)[]).invalid?.returnCode).toBe(302);
  });

  it('reads a bare UUID message id as one whole message, and rejects malformed ones', () => {
    expect(parseMessageId('abc')).toEqual({ uuid: 'abc', index: 0, total: 1 });
    expect(parseMessageId(undefined).total).toBe(1);
    expect(() => parseMessageId('abc/3/2')).toThrow(DriplineMessageError);
    expect(() => parseMessageId('abc/x/2')).toThrow(DriplineMessageError);
    expect(splitBody(Buffer.alloc(0), 100)).toHaveLength(1);
  });
});
