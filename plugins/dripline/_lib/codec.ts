/**
 * Dripline v3 messages to AMQP messages and back (dripline-cpp's create_amqp_messages / process_message):
 * header fields in AMQP `headers` (integers as unsigned 32-bit), correlation id, reply-to, message id and
 * content encoding as AMQP properties, the payload as the JSON body, split into chunks above the maximum size.
 */
import { randomUUID } from 'node:crypto';
import { chunkMessageId, parseMessageId, splitBody } from './chunks.ts';
import { readInteger, readString, readTable, uint32 } from './field-values.ts';
import { MsgType, isEmptyPayload, type DriplineMessage, type SenderInfo } from './message.ts';
import { ReturnCode } from './return-codes.ts';
import { DriplineMessageError } from '../_errors.ts';

export const JSON_ENCODING = 'application/json';

/** One AMQP message to publish (amqplib's publish options, narrowed to what dripline sets). */
export interface AmqpOutgoing {
  readonly body: Buffer;
  readonly options: {
    contentEncoding: string;
    correlationId: string;
    replyTo: string;
    messageId: string;
    headers: Record<string, unknown>;
  };
}

/** One AMQP message as delivered (amqplib's ConsumeMessage, narrowed). */
export interface AmqpIncoming {
  readonly content: Buffer;
  readonly fields: { readonly routingKey: string; readonly exchange?: string };
  readonly properties: {
    readonly headers?: Record<string, unknown> | undefined;
    readonly correlationId?: string | undefined;
    readonly replyTo?: string | undefined;
    readonly messageId?: string | undefined;
    readonly contentEncoding?: string | undefined;
  };
}

/** What is known of a message that could not be decoded: enough to answer a request with an error reply. */
export interface UndecodableMessage {
  readonly returnCode: number;
  readonly reason: string;
  readonly messageType: number | undefined;
  readonly routingKey: string;
  readonly replyTo: string;
  readonly correlationId: string;
  readonly specifier: string;
  /** What the body held, for the error reply's payload (dripline-cpp's {invalid, error}). */
  readonly body: string;
}

export type Decoded = { readonly message: DriplineMessage; readonly invalid?: undefined } | { readonly message?: undefined; readonly invalid: UndecodableMessage };

/** The JSON body of a payload; the empty payload is `{}`. Throws for values JSON cannot hold (BigInt, cycles). */
export function encodePayload(payload: unknown): Buffer {
  if (isEmptyPayload(payload)) return Buffer.from('{}');
  const text = JSON.stringify(payload);
  if (text === undefined) throw new DriplineMessageError(`a payload of type ${typeof payload} cannot be sent as JSON`);
  return Buffer.from(text);
}

/** The AMQP message(s) for `msg`; more than one when its JSON is larger than `maxPayloadSize` bytes. */
export function encodeMessage(msg: DriplineMessage, maxPayloadSize: number): AmqpOutgoing[] {
  const headers: Record<string, unknown> = {
    message_type: uint32(MsgType[msg.type]),
    specifier: msg.specifier,
    timestamp: msg.timestamp,
    sender_info: senderInfoTable(msg.senderInfo),
  };
  if (msg.type === 'request') {
    headers.message_operation = uint32(msg.operation);
    headers.lockout_key = msg.lockoutKey;
  } else if (msg.type === 'reply') {
    headers.return_code = uint32(msg.returnCode);
    headers.return_message = msg.returnMessage;
  }
  const pieces = splitBody(encodePayload(msg.payload), maxPayloadSize);
  const uuid = msg.messageId || randomUUID();
  return pieces.map((body, i) => ({
    body,
    options: {
      contentEncoding: JSON_ENCODING,
      correlationId: msg.correlationId,
      replyTo: msg.replyTo,
      messageId: chunkMessageId(uuid, i, pieces.length),
      headers,
    },
  }));
}

function senderInfoTable(s: SenderInfo): Record<string, unknown> {
  const versions: Record<string, Record<string, string>> = {};
  for (const [name, v] of Object.entries(s.versions)) {
    versions[name] = { version: v.version, ...(v.commit ? { commit: v.commit } : {}), ...(v.package ? { package: v.package } : {}) };
  }
  return { exe: s.exe, hostname: s.hostname, username: s.username, service_name: s.service_name, versions };
}

/**
 * A whole message from its chunks in order (holes, for an incomplete one, as undefined). Never throws: what is
 * not a valid v3 message comes back as `invalid`, with the return code a reply to it should carry.
 */
export function decodeMessage(parts: readonly (AmqpIncoming | undefined)[]): Decoded {
  const first = parts.find((p): p is AmqpIncoming => p !== undefined);
  if (!first) throw new DriplineMessageError('no chunk of the message arrived');
  const h = first.properties.headers ?? {};
  const envelope = {
    messageType: readInteger(h.message_type),
    routingKey: first.fields.routingKey,
    replyTo: first.properties.replyTo ?? '',
    correlationId: first.properties.correlationId ?? '',
    specifier: readString(h.specifier) ?? '',
  };
  const complete = parts.every((p) => p !== undefined);
  const body = Buffer.concat(parts.map((p) => p?.content ?? Buffer.alloc(0))).toString('utf8');
  const invalid = (returnCode: number, reason: string): Decoded => ({ invalid: { ...envelope, returnCode, reason, body } });

  const encoding = (first.properties.contentEncoding ?? '').split(';')[0]?.trim().toLowerCase();
  if (encoding !== '' && encoding !== JSON_ENCODING) return invalid(ReturnCode.service_error_no_encoding, `unsupported content encoding ${JSON.stringify(first.properties.contentEncoding)} (dripline uses ${JSON_ENCODING})`);
  if (envelope.messageType === undefined) return invalid(ReturnCode.service_error_decoding_fail, 'the message has no integer message_type header');
  if (!complete) return invalid(ReturnCode.service_error_decoding_fail, `only ${parts.filter(Boolean).length} of ${parts.length} chunks of the message arrived`);

  let payload: unknown;
  try {
    payload = body.trim() === '' ? undefined : JSON.parse(body);
  } catch (err) {
    return invalid(ReturnCode.service_error_decoding_fail, `the message body is not JSON: ${(err as Error).message}`);
  }
  if (isEmptyPayload(payload)) payload = undefined;

  let messageId: string;
  try {
    messageId = parseMessageId(first.properties.messageId).uuid;
  } catch (err) {
    return invalid(ReturnCode.service_error_decoding_fail, (err as Error).message);
  }
  const base = {
    routingKey: envelope.routingKey,
    correlationId: envelope.correlationId,
    messageId,
    replyTo: envelope.replyTo,
    specifier: envelope.specifier,
    timestamp: readString(h.timestamp) ?? '',
    senderInfo: readSenderInfo(h.sender_info),
    payload,
  };
  switch (envelope.messageType) {
    case MsgType.request:
      return { message: { type: 'request', ...base, operation: readInteger(h.message_operation) ?? -1, lockoutKey: readString(h.lockout_key) ?? '' } };
    case MsgType.reply:
      return {
        message: {
          type: 'reply', ...base,
          returnCode: readInteger(h.return_code) ?? ReturnCode.unhandled_exception,
          returnMessage: readString(h.return_message) ?? '',
        },
      };
    case MsgType.alert:
      return { message: { type: 'alert', ...base } };
    default:
      return invalid(ReturnCode.service_error_decoding_fail, `message_type ${envelope.messageType} is not a dripline message type (2 reply, 3 request, 4 alert)`);
  }
}

function readSenderInfo(value: unknown): SenderInfo {
  const t = readTable(value) ?? {};
  const str = (k: string) => (typeof t[k] === 'string' ? (t[k] as string) : 'N/A');
  const versions: SenderInfo['versions'] = {};
  const raw = t.versions;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
      const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
      versions[name] = { version: String(o.version ?? ''), ...(typeof o.commit === 'string' ? { commit: o.commit } : {}), ...(typeof o.package === 'string' ? { package: o.package } : {}) };
    }
  }
  return { exe: str('exe'), hostname: str('hostname'), username: str('username'), service_name: str('service_name'), versions };
}
