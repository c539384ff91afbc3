/**
 * What dragonfly prints. Replies in the seed's form, `peaches(ret:0): {'value_cal': 1.5, 'value_raw': '0.75'}`
 * (Python repr, keys sorted as the seed's output shows them); `--json` and the monitor print the whole message
 * with dripline-cpp's field names (its get_message_param).
 */
import type { Decoded } from './codec.ts';
import { MsgType, type DriplineMessage } from './message.ts';
import { pyRepr } from './python-str.ts';

/** The seed's line for one reply: `<target>(ret:<code>): <payload>`. */
export function replyLine(prefix: string, returnCode: number, payload: unknown): string {
  return `${prefix}(ret:${returnCode}): ${payload === undefined ? '{}' : pyRepr(sortKeys(payload))}`;
}

/** Objects with their keys in name order, all the way down (stable output for people and diffs). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A message as one JSON-able object, field names as dripline-cpp prints them. */
export function messageParam(msg: DriplineMessage): Record<string, unknown> {
  return {
    routing_key: msg.routingKey,
    specifier: msg.specifier,
    correlation_id: msg.correlationId,
    message_id: msg.messageId,
    reply_to: msg.replyTo,
    message_type: MsgType[msg.type],
    encoding: 'application/json',
    timestamp: msg.timestamp,
    sender_info: msg.senderInfo,
    payload: msg.payload ?? null,
    ...(msg.type === 'request' ? { message_operation: msg.operation, lockout_key: msg.lockoutKey } : {}),
    ...(msg.type === 'reply' ? { return_code: msg.returnCode, return_message: msg.returnMessage } : {}),
  };
}

/** One monitored message: a header line, then the message (or only its payload) as indented JSON. */
export function monitorText(exchange: string, routingKey: string, decoded: Decoded, payloadOnly: boolean): string {
  if (decoded.invalid) {
    return `[${exchange}] ${routingKey} (not a dripline message: ${decoded.invalid.reason})\n${decoded.invalid.body}\n`;
  }
  const msg = decoded.message;
  const head = `${msg.timestamp || new Date().toISOString()} [${exchange}] ${routingKey} (${msg.type} from ${msg.senderInfo.service_name})`;
  const body = payloadOnly ? (msg.payload ?? null) : messageParam(msg);
  return `${head}\n${JSON.stringify(body, null, 2)}\n`;
}
