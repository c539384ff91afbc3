/**
 * hub.evbus.broker — putting events on the bus (pop-evbus's broker). The body is serialised at `put` time with
 * `hub.serial[SERIAL_PLUGIN]`, so a body that cannot be serialised fails the caller's `put`, not the bus.
 */
import type { Hub } from '../../src/index.ts';
import { TspopError } from '../../src/errors.ts';
import { EvbusNotStartedError, EvbusOptionsError, EvbusQueueFullError, EvbusSerialError } from './_errors.ts';
import { serialPlugin } from './_lib/plugin-lookup.ts';
import type { IngressEvent, PutOptions } from './_lib/types.ts';

/** Puts `body` on the bus for acct profiles matching `profile` (default `'default'`); waits while the queue is full. */
export async function put(hub: Hub, body: unknown, opts?: PutOptions | string): Promise<void> {
  const bus = hub.__.BUS;
  const event = makeEvent(hub, body, opts);
  if (!bus.tryPut(event)) await bus.put(event);
}

/** Like `put` but never waits: throws TSPOP_ERR_EVBUS_QUEUE_FULL when the bounded queue is full. */
export function putNowait(hub: Hub, body: unknown, opts?: PutOptions | string): void {
  const sub = hub.__;
  const event = makeEvent(hub, body, opts);
  if (!sub.BUS.tryPut(event)) {
    sub.SEQ--; // not accepted: the next event takes this number
    throw new EvbusQueueFullError(`the event bus queue is full (${sub.BUS.capacity} events): await put() to wait for room, or raise queue_size`);
  }
}

/** Hands one event to the matching ingress lanes of the running bus (the run loop does this for every event put). */
export async function propagate(hub: Hub, event: IngressEvent): Promise<void> {
  const run = hub.__.BUSRUN;
  if (!run) throw new EvbusNotStartedError('the event bus is not running: start() it first');
  await run.propagate(event);
}

function makeEvent(hub: Hub, body: unknown, opts: PutOptions | string | undefined): IngressEvent {
  const sub = hub.__;
  const profile = profileOf(opts);
  const name: string = sub.SERIAL_PLUGIN;
  const serial = serialPlugin(hub, name);
  let data: string | Buffer;
  try {
    data = serial.dump(body);
  } catch (cause) {
    if (TspopError.is(cause)) throw cause;
    throw new EvbusSerialError(`serial plugin "${name}" cannot serialise the event body: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
  const seq = ++sub.SEQ;
  return Object.freeze({
    profile,
    body: data,
    raw: body,
    serial: name,
    contentType: serial.CONTENT_TYPE ?? 'application/octet-stream',
    id: `${sub.ID}:${seq}`,
    seq,
    timestamp: Date.now(),
  });
}

function profileOf(opts: PutOptions | string | undefined): string {
  if (opts === undefined) return 'default';
  const profile = typeof opts === 'string' ? opts : opts.profile ?? 'default';
  if (typeof profile !== 'string' || profile === '') throw new EvbusOptionsError('put: "profile" must be a non-empty string');
  return profile;
}
