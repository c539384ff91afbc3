/**
 * The dripline v3 message model: requests, replies and alerts as the standard describes them (header fields as
 * AMQP headers, the payload as the JSON body). Payloads are plain JSON values; `undefined` is the empty payload
 * (an empty body, `null` and `{}` all decode to it).
 */

/** `message_type` header values. */
export const MsgType = { reply: 2, request: 3, alert: 4 } as const;
export type MsgTypeName = keyof typeof MsgType;

/** `message_operation` header values (v3 keeps set, get and cmd). */
export const Op = { set: 0, get: 1, cmd: 9 } as const;
export type OpName = keyof typeof Op;

/** The name of a message_operation value, or undefined for one v3 does not define. */
export function opName(op: number): OpName | undefined {
  return op === Op.set ? 'set' : op === Op.get ? 'get' : op === Op.cmd ? 'cmd' : undefined;
}

export interface SenderVersion {
  version: string;
  commit?: string;
  package?: string;
}

/** `sender_info` header: who sent the message (dripline-cpp requires every field). */
export interface SenderInfo {
  exe: string;
  hostname: string;
  username: string;
  service_name: string;
  versions: Record<string, SenderVersion>;
}

interface MessageBase {
  /** AMQP routing key the message was (or is to be) published with. */
  routingKey: string;
  correlationId: string;
  /** The message's UUID (without the `/<chunk>/<n>` suffix the wire adds). */
  messageId: string;
  replyTo: string;
  specifier: string;
  /** `%Y-%m-%dT%H:%M:%S.ffffffZ` (UTC). */
  timestamp: string;
  senderInfo: SenderInfo;
  /** The JSON payload; undefined when empty. */
  payload: unknown;
}

export interface DriplineRequest extends MessageBase {
  readonly type: 'request';
  /** message_operation (0 set, 1 get, 9 cmd; anything else is answered with 306). */
  operation: number;
  /** lockout_key header as sent ('' when none). */
  lockoutKey: string;
}

export interface DriplineReply extends MessageBase {
  readonly type: 'reply';
  returnCode: number;
  returnMessage: string;
}

export interface DriplineAlert extends MessageBase {
  readonly type: 'alert';
}

export type DriplineMessage = DriplineRequest | DriplineReply | DriplineAlert;

/** True for the payloads the standard treats as "no payload": nothing, null and {}. */
export function isEmptyPayload(payload: unknown): boolean {
  if (payload === undefined || payload === null) return true;
  return typeof payload === 'object' && !Array.isArray(payload) && Object.keys(payload as object).length === 0;
}

/** The payload as an object of fields (`values` and keyword arguments), {} for an empty or non-object payload. */
export function payloadFields(payload: unknown): Record<string, unknown> {
  return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
}
