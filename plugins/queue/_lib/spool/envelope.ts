/**
 * What the disk transport stores per message: u32 BE length of a JSON meta object ({contentType, headers, id,
 * routingKey}), the meta, then the body bytes as given.
 */
export interface EnvelopeMeta {
  readonly contentType?: string | undefined;
  readonly headers?: Record<string, unknown>;
  readonly id?: string | undefined;
  readonly routingKey?: string | undefined;
}

export function encodeEnvelope(meta: EnvelopeMeta, body: Buffer): Buffer {
  const m = Buffer.from(JSON.stringify(meta));
  const out = Buffer.allocUnsafe(4 + m.length + body.length);
  out.writeUInt32BE(m.length, 0);
  m.copy(out, 4);
  body.copy(out, 4 + m.length);
  return out;
}

export function decodeEnvelope(buf: Buffer): { meta: EnvelopeMeta; body: Buffer } {
  const n = buf.readUInt32BE(0);
  return { meta: JSON.parse(buf.subarray(4, 4 + n).toString()) as EnvelopeMeta, body: buf.subarray(4 + n) };
}
