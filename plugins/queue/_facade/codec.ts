/** How the facades turn messages into bytes and back: objects as JSON, strings as they are. */
import type { QueueMessage } from '../_lib/types.ts';

export function encode(msg: unknown): { body: Buffer; contentType: string } {
  if (Buffer.isBuffer(msg)) return { body: msg, contentType: 'application/octet-stream' };
  if (typeof msg === 'string') return { body: Buffer.from(msg), contentType: 'text/plain' };
  return { body: Buffer.from(JSON.stringify(msg) ?? 'null'), contentType: 'application/json' };
}

/** The body as JSON when it is JSON (whatever the content type said), else as text; octet-stream as bytes. */
export function decode(msg: QueueMessage): unknown {
  if (msg.contentType === 'application/octet-stream') return msg.body;
  const text = msg.body.toString();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
