/**
 * The kv family's error codes (TSPOP_ERR_KV_*), registered with the one registry in src/errors.ts. A test pins
 * this list and checks each code is thrown somewhere under plugins/kv.
 */
import { defineError } from '../../src/errors.ts';

/** A KVStore option is invalid (wrong type, a negative period, an unknown option name...). */
export const KvOptionsError = defineError('TSPOP_ERR_KV_OPTIONS');
/** No store answered the first read; the message names every address tried. */
export const KvUnreachableError = defineError('TSPOP_ERR_KV_UNREACHABLE');
/** `backend` names no plugin of the kv dyne, or the plugin does not have the backend interface. */
export const KvBackendError = defineError('TSPOP_ERR_KV_BACKEND');
/** The store answered with something that is not a configuration (a file that is not a YAML/JSON mapping...). */
export const KvFormatError = defineError('TSPOP_ERR_KV_FORMAT');
/** The KVStore was used after close(). */
export const KvClosedError = defineError('TSPOP_ERR_KV_CLOSED');
