/**
 * The endpoint model: how one request to one endpoint becomes a reply (dripline-cpp's endpoint.cc with
 * dripline-python's Endpoint rules on top). In order:
 *   lockout_key not a key -> 308; unknown operation -> 306;
 *   get:  `is-locked` -> lock status; a specifier -> that attribute as { values: [v] } (310 if none); else on_get;
 *   set:  lockout (307); no `values` -> 303; a specifier -> write that attribute (310); else on_set(values[0]);
 *   cmd:  lockout (307, except unlock/ping/set_condition); lock, unlock (force), ping, set_condition built in;
 *         else the command named by the specifier (306 if none) with values as args, other fields as kwargs.
 * Whatever the endpoint throws becomes a reply too: its return code (DriplineReplyError) or 999 with its message.
 */
import { DriplineReplyError, replyError, returnCodeOf } from '../_errors.ts';
import { describeError } from '../../../src/describe-error.ts';
import { encodePayload } from './codec.ts';
import type { Endpoint } from './endpoint-types.ts';
import { Lockout, NIL_KEY, formatLockoutKey, parseLockoutKey } from './lockout.ts';
import { opName, payloadFields, type DriplineRequest } from './message.ts';
import { ReturnCode } from './return-codes.ts';

export interface ReplyParts {
  readonly returnCode: number;
  readonly returnMessage: string;
  readonly payload?: unknown;
}

/** The endpoint a request is for, with the locks it must pass (the service's, then the endpoint's own). */
export interface Target {
  readonly endpoint: Endpoint;
  /** The lock `lock`/`unlock` act on. */
  readonly lock: Lockout;
  /** Every lock a lockable request must pass. */
  readonly locks: readonly Lockout[];
}

const UNLOCKED_COMMANDS = new Set(['unlock', 'ping', 'set_condition']);

export async function dispatch(target: Target, req: DriplineRequest): Promise<ReplyParts> {
  try {
    const reply = await route(target, req);
    try {
      encodePayload(reply.payload);
    } catch (err) {
      // a result JSON cannot carry is the endpoint's error (dripline-python's result_to_scarab_payload), not a broken reply
      return fail(ReturnCode.service_error_bad_payload, `${target.endpoint.name} unable to convert result to a JSON payload: ${describeError(err)}`);
    }
    return reply;
  } catch (err) {
    const code = returnCodeOf(err);
    return { returnCode: code, returnMessage: describeError(err), payload: code === ReturnCode.unhandled_exception ? undefined : (err as { payload?: unknown }).payload };
  }
}

async function route(target: Target, req: DriplineRequest): Promise<ReplyParts> {
  const key = parseLockoutKey(req.lockoutKey);
  if (key === undefined) return fail(ReturnCode.service_error_invalid_key, `lockout key ${JSON.stringify(req.lockoutKey)} could not be parsed (32 hex digits, dashes allowed)`);
  const op = opName(req.operation);
  const spec = req.specifier;
  const ep = target.endpoint;
  switch (op) {
    case 'get':
      if (spec === 'is-locked') return isLocked(target);
      if (spec) return ok({ values: [readAttribute(ep, spec)] });
      if (!ep.on_get) return fail(ReturnCode.service_error_invalid_method, `endpoint ${ep.name} does not implement on_get`);
      return ok(await ep.on_get());
    case 'set': {
      if (!admitted(target, key)) return denied(key);
      const values = payloadFields(req.payload).values;
      if (!Array.isArray(values) || values.length === 0) return fail(ReturnCode.service_error_bad_payload, 'setting called without values, but values are required for set');
      if (spec) {
        await writeAttribute(ep, spec, values[0]);
        return ok(undefined);
      }
      if (!ep.on_set) return fail(ReturnCode.service_error_invalid_method, `endpoint ${ep.name} does not implement on_set`);
      return ok(await ep.on_set(values[0]));
    }
    case 'cmd':
      if (!UNLOCKED_COMMANDS.has(spec) && !admitted(target, key)) return denied(key);
      return command(target, req, key);
    default:
      return fail(ReturnCode.service_error_invalid_method, `unrecognized message operation ${req.operation} (0 set, 1 get, 9 cmd)`);
  }
}

async function command(target: Target, req: DriplineRequest, key: string): Promise<ReplyParts> {
  const spec = req.specifier;
  const { values, ...kwargs } = payloadFields(req.payload);
  const args = Array.isArray(values) ? values : values === undefined ? [] : [values];
  switch (spec) {
    case 'lock':
      if (target.lock.locked) return fail(ReturnCode.service_error_access_denied, `${target.endpoint.name} is already locked`);
      return { returnCode: ReturnCode.success, returnMessage: 'Server is now locked', payload: { key: formatLockoutKey(target.lock.lock(key, req.senderInfo)) } };
    case 'unlock':
      if (!target.lock.locked) return { returnCode: ReturnCode.warning_no_action_taken, returnMessage: 'Already unlocked' };
      if (kwargs.force !== true && !target.lock.admits(key)) return denied(key);
      target.lock.unlock();
      return { returnCode: ReturnCode.success, returnMessage: 'Server unlocked' };
    case 'ping':
      return { returnCode: ReturnCode.success, returnMessage: `Hello, ${req.senderInfo.exe}` };
    case 'set_condition': {
      const condition = args[0];
      if (typeof condition !== 'number' || !Number.isInteger(condition)) return fail(ReturnCode.service_error_invalid_value, `set_condition takes one integer, got ${JSON.stringify(condition)}`);
      const ep = target.endpoint;
      if (!ep.on_set_condition) return { returnCode: ReturnCode.success, returnMessage: 'No action taken (this is the default method)' };
      return ok(await ep.on_set_condition(condition));
    }
    default: {
      const fn = spec && target.endpoint.commands && Object.hasOwn(target.endpoint.commands, spec) ? target.endpoint.commands[spec] : undefined;
      if (!fn) {
        const known = Object.keys(target.endpoint.commands ?? {});
        const hint = known.length > 0 ? ` (commands: ${['lock', 'unlock', 'ping', 'set_condition', ...known].join(', ')})` : '';
        return fail(ReturnCode.service_error_invalid_method, spec ? `endpoint ${target.endpoint.name} has no command ${JSON.stringify(spec)}${hint}` : 'cmd needs a specifier naming the command');
      }
      return ok(await fn(args, kwargs));
    }
  }
}

function isLocked(target: Target): ReplyParts {
  const lock = target.locks.find((l) => l.locked);
  return ok({ is_locked: lock !== undefined, ...(lock?.tag ? { tag: lock.tag } : {}) }, 'Checked lock status');
}

function admitted(target: Target, key: string): boolean {
  return target.locks.every((l) => l.admits(key));
}

function denied(key: string): ReplyParts {
  return fail(ReturnCode.service_error_access_denied, `Request denied due to lockout (key used: ${key === NIL_KEY ? 'none' : formatLockoutKey(key)})`);
}

function readAttribute(ep: Endpoint, name: string): unknown {
  const attr = ep.attributes && Object.hasOwn(ep.attributes, name) ? ep.attributes[name] : undefined;
  if (!attr) throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_specifier, `endpoint ${ep.name} has no attribute ${name}, unable to get`);
  return attr.get();
}

async function writeAttribute(ep: Endpoint, name: string, value: unknown): Promise<void> {
  const attr = ep.attributes && Object.hasOwn(ep.attributes, name) ? ep.attributes[name] : undefined;
  if (!attr) throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_specifier, `endpoint ${ep.name} has no attribute ${name}, unable to set`);
  if (!attr.set) throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_specifier, `attribute ${name} of endpoint ${ep.name} is read-only`);
  await attr.set(value);
}

function ok(payload: unknown, returnMessage = ''): ReplyParts {
  return { returnCode: ReturnCode.success, returnMessage, payload };
}

function fail(returnCode: number, returnMessage: string): ReplyParts {
  return { returnCode, returnMessage };
}
