/**
 * The dripline family's error codes (TSPOP_ERR_DRIPLINE_*): service configuration, endpoint modules, the wire
 * codec and the dragonfly client. Errors that end a request carry the dripline return code they stand for as
 * `returnCode` (see `returnCodeOf`), so a CLI can exit with `returnCode / 100` as dl-agent does.
 */
import { defineError, type TspopError, type TspopErrorClass } from '../../src/errors.ts';

// ── service configuration ─────────────────────────────────────────────────────
/** A service YAML file cannot be read or is not valid YAML. */
export const DriplineConfigFileError = defineError('TSPOP_ERR_DRIPLINE_CONFIG_FILE');
/** A service configuration is invalid; the message names the file and the key. */
export const DriplineConfigError = defineError('TSPOP_ERR_DRIPLINE_CONFIG');
/** `ENV{VAR}` names an environment variable that is not set. */
export const DriplineEnvError = defineError('TSPOP_ERR_DRIPLINE_ENV');
/** An endpoint `module` is not on the hub, or a `module_path` file is not a valid endpoint plugin. */
export const DriplineModuleError = defineError('TSPOP_ERR_DRIPLINE_MODULE');
/** A calibration string is not a safe arithmetic expression over the raw value. */
export const DriplineCalibrationError = defineError('TSPOP_ERR_DRIPLINE_CALIBRATION');

// ── requests and replies ──────────────────────────────────────────────────────
/** Thrown by endpoint code to reply with a given return code (dripline-python's ThrowReply). */
export const DriplineReplyError = defineError('TSPOP_ERR_DRIPLINE_REPLY');
/** A message on the wire is not a dripline v3 message (bad headers, message id or body). */
export const DriplineMessageError = defineError('TSPOP_ERR_DRIPLINE_MESSAGE');
/** No reply arrived within the timeout (return code 404). */
export const DriplineTimeoutError = defineError('TSPOP_ERR_DRIPLINE_TIMEOUT');
/** The request could not be delivered: nothing is bound to its routing key (return code 403). */
export const DriplineUnroutableError = defineError('TSPOP_ERR_DRIPLINE_UNROUTABLE');
/** The broker cannot be reached or refused the login (return code 101). */
export const DriplineBrokerError = defineError('TSPOP_ERR_DRIPLINE_BROKER');
/** The service or client was used after it was stopped. */
export const DriplineClosedError = defineError('TSPOP_ERR_DRIPLINE_CLOSED');

// ── dragonfly ─────────────────────────────────────────────────────────────────
/** Bad dragonfly command line (exit code 2, as argparse). */
export const DriplineUsageError = defineError('TSPOP_ERR_DRIPLINE_USAGE');

const CODE_OF = new Map<string, number>([
  [DriplineTimeoutError.code, 404],
  [DriplineUnroutableError.code, 403],
  [DriplineBrokerError.code, 101],
  [DriplineMessageError.code, 302],
  [DriplineCalibrationError.code, 304],
]);

/** An error that makes the reply (or the client's result) carry `returnCode`. */
export function replyError(cls: TspopErrorClass, returnCode: number, message: string, options?: { cause?: unknown }): TspopError & { returnCode: number } {
  return Object.assign(new cls(message, options), { returnCode });
}

/** The dripline return code an error stands for: its own `returnCode`, its class's, else 999 (unhandled). */
export function returnCodeOf(err: unknown): number {
  const own = (err as { returnCode?: unknown } | null)?.returnCode;
  if (typeof own === 'number' && Number.isInteger(own) && own >= 0) return own;
  const code = (err as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && CODE_OF.get(code)) || 999;
}
