/**
 * The one error registry. Every error tspop throws is an instance of a class made here by `defineError`,
 * carries a stable `code`, and keeps the original error as `cause`. Tests assert classes/codes, never messages.
 * Codes are never reused: retire one by leaving it here with a comment.
 */

const BRAND = Symbol.for('tspop.error');

/** Base class of every tspop error. `code` is stable across releases. */
export class TspopError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = `TspopError [${code}]`;
  }

  /** Works across duplicate copies of tspop in one process, unlike `instanceof`. */
  static is(value: unknown): value is TspopError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
Object.defineProperty(TspopError.prototype, BRAND, { value: true });

export interface TspopErrorClass {
  new (message: string, options?: { cause?: unknown }): TspopError;
  readonly code: string;
}

const registry = new Map<string, TspopErrorClass>();

/** Makes the error class for `code`. Each code is defined once. */
export function defineError(code: string): TspopErrorClass {
  if (registry.has(code)) throw new Error(`error code ${code} is defined twice`);
  const cls = class extends TspopError {
    static readonly code = code;
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };
  Object.defineProperty(cls, 'name', { value: code });
  registry.set(code, cls);
  return cls;
}

/** Every code defined so far, sorted (pinned by a test). */
export function errorCodes(): string[] {
  return [...registry.keys()].sort();
}

/** A short, secret-free description of any thrown value, for one-line CLI errors and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

// ── hub ───────────────────────────────────────────────────────────────────────
export const HubOptionsError = defineError('TSPOP_ERR_HUB_OPTIONS');
export const HubClosedError = defineError('TSPOP_ERR_HUB_CLOSED');
export const HubReadonlyError = defineError('TSPOP_ERR_HUB_READONLY');

// ── subs ──────────────────────────────────────────────────────────────────────
export const SubOptionsError = defineError('TSPOP_ERR_SUB_OPTIONS');
export const SubExistsError = defineError('TSPOP_ERR_SUB_EXISTS');
export const SubNotFoundError = defineError('TSPOP_ERR_SUB_NOT_FOUND');
export const SubNoDirsError = defineError('TSPOP_ERR_SUB_NO_DIRS');
export const SubLoadFailedError = defineError('TSPOP_ERR_SUB_LOAD_FAILED');

// ── modules ───────────────────────────────────────────────────────────────────
export const ModLoadError = defineError('TSPOP_ERR_MOD_LOAD');
export const ModVirtualError = defineError('TSPOP_ERR_MOD_VIRTUAL');
export const ModVirtualClashError = defineError('TSPOP_ERR_MOD_VIRTUAL_CLASH');
export const ModNotLoadedError = defineError('TSPOP_ERR_MOD_NOT_LOADED');
export const ModInitError = defineError('TSPOP_ERR_MOD_INIT');
export const ModReservedNameError = defineError('TSPOP_ERR_MOD_RESERVED_NAME');
export const ModInterfaceError = defineError('TSPOP_ERR_MOD_INTERFACE');
/** A TypeScript plugin (or conf) file does not compile: the message names file:line:column; also a broken tsconfig. */
export const ModTransformError = defineError('TSPOP_ERR_MOD_TRANSFORM');

// ── refs ──────────────────────────────────────────────────────────────────────
export const RefNotFoundError = defineError('TSPOP_ERR_REF_NOT_FOUND');

// ── contracts ─────────────────────────────────────────────────────────────────
export const ContractCallError = defineError('TSPOP_ERR_CONTRACT_CALL');
export const ContractLoadError = defineError('TSPOP_ERR_CONTRACT_LOAD');

// ── dynes and conf files ──────────────────────────────────────────────────────
export const ConfLoadError = defineError('TSPOP_ERR_CONF_LOAD');
export const ConfInvalidError = defineError('TSPOP_ERR_CONF_INVALID');

// ── config (hub.OPT) ──────────────────────────────────────────────────────────
export const ConfigUnknownFlagError = defineError('TSPOP_ERR_CONFIG_UNKNOWN_FLAG');
export const ConfigTypeError = defineError('TSPOP_ERR_CONFIG_TYPE');
export const ConfigChoiceError = defineError('TSPOP_ERR_CONFIG_CHOICE');
export const ConfigMissingError = defineError('TSPOP_ERR_CONFIG_MISSING');
export const ConfigFileError = defineError('TSPOP_ERR_CONFIG_FILE');
export const ConfigDefinitionError = defineError('TSPOP_ERR_CONFIG_DEFINITION');
export const ConfigUsageError = defineError('TSPOP_ERR_CONFIG_USAGE');

// ── acct ──────────────────────────────────────────────────────────────────────
export const AcctInvalidTokenError = defineError('TSPOP_ERR_ACCT_INVALID_TOKEN');
export const AcctInvalidKeyError = defineError('TSPOP_ERR_ACCT_INVALID_KEY');
/** A function was called with a bad option (a plugin name that is not loaded, a negative ttl...). */
export const AcctOptionsError = defineError('TSPOP_ERR_ACCT_OPTIONS');
/** An acct file needs a key and none was given. */
export const AcctKeyMissingError = defineError('TSPOP_ERR_ACCT_KEY_MISSING');
/** The acct file does not open with this key: wrong key, or the file was altered or truncated. */
export const AcctDecryptError = defineError('TSPOP_ERR_ACCT_DECRYPT');
export const AcctFileNotFoundError = defineError('TSPOP_ERR_ACCT_FILE_NOT_FOUND');
/** The file exists but cannot be read (a folder, no permission). */
export const AcctFileReadError = defineError('TSPOP_ERR_ACCT_FILE_READ');
export const AcctFileWriteError = defineError('TSPOP_ERR_ACCT_FILE_WRITE');
/** The plaintext YAML does not parse; the message has the file, line and column, never the text. */
export const AcctYamlError = defineError('TSPOP_ERR_ACCT_YAML');
/** Decrypted or parsed data is not a profile mapping (not msgpack, not a mapping, a forbidden key...). */
export const AcctFormatError = defineError('TSPOP_ERR_ACCT_FORMAT');
/** An `acct-backends` entry failed (unknown backend, bad options, the backend threw). */
export const AcctBackendError = defineError('TSPOP_ERR_ACCT_BACKEND');
/** A gather plugin failed or returned something other than `{ provider: { profile: ctx } }`. */
export const AcctGatherError = defineError('TSPOP_ERR_ACCT_GATHER');
/** `acct edit`: the editor could not start, failed or was interrupted. */
export const AcctEditorError = defineError('TSPOP_ERR_ACCT_EDITOR');

// ── evbus ─────────────────────────────────────────────────────────────────────
export const EvbusOptionsError = defineError('TSPOP_ERR_EVBUS_OPTIONS');
export const EvbusAlreadyStartedError = defineError('TSPOP_ERR_EVBUS_ALREADY_STARTED');
export const EvbusNotStartedError = defineError('TSPOP_ERR_EVBUS_NOT_STARTED');
export const EvbusQueueFullError = defineError('TSPOP_ERR_EVBUS_QUEUE_FULL');
export const EvbusSerialError = defineError('TSPOP_ERR_EVBUS_SERIAL');
export const EvbusMatchError = defineError('TSPOP_ERR_EVBUS_MATCH');
export const EvbusIngressInvalidError = defineError('TSPOP_ERR_EVBUS_INGRESS_INVALID');
export const EvbusContextError = defineError('TSPOP_ERR_EVBUS_CONTEXT');
export const EvbusAcctError = defineError('TSPOP_ERR_EVBUS_ACCT');
export const EvbusAmqpProfileError = defineError('TSPOP_ERR_EVBUS_AMQP_PROFILE');
export const EvbusAmqpNackError = defineError('TSPOP_ERR_EVBUS_AMQP_NACK');
export const EvbusAmqpClosedError = defineError('TSPOP_ERR_EVBUS_AMQP_CLOSED');
export const EvbusHttpProfileError = defineError('TSPOP_ERR_EVBUS_HTTP_PROFILE');
export const EvbusHttpFailedError = defineError('TSPOP_ERR_EVBUS_HTTP_FAILED');
