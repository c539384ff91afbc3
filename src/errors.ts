/**
 * The one error registry. Every error tspop throws is an instance of a class made here by `defineError`,
 * carries a stable `code`, and keeps the original error as `cause`. Tests assert classes/codes, never messages.
 * Codes are never reused: retire one by leaving it here with a comment.
 */

export { describeError, type DescribeErrorOptions } from './describe-error.ts';

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
/** A plugin function does not accept the parameters its contract's `sig_<fn>` declares (or is missing). */
export const ContractSignatureError = defineError('TSPOP_ERR_CONTRACT_SIGNATURE');

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
// ── tspop types (generated hub declarations) ─────────────────────────────────
/** The --out file exists and was not written by `tspop types`: it is never replaced. */
export const TypesOverwriteError = defineError('TSPOP_ERR_TYPES_OVERWRITE');
/** The declaration file could not be written (no permission, a folder in the way...). */
export const TypesWriteError = defineError('TSPOP_ERR_TYPES_WRITE');
/** Modules failed to load, so their types are unknown: nothing is written rather than a file missing them. */
export const TypesIncompleteError = defineError('TSPOP_ERR_TYPES_INCOMPLETE');
