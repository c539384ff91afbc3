/** The http dyne's error codes (TSPOP_ERR_HTTP_*): the shared HTTP client. */
import { defineError } from '../../src/errors.ts';

export const HttpOptionsError = defineError('TSPOP_ERR_HTTP_OPTIONS');
export const HttpStatusError = defineError('TSPOP_ERR_HTTP_STATUS');
export const HttpTimeoutError = defineError('TSPOP_ERR_HTTP_TIMEOUT');
export const HttpNetworkError = defineError('TSPOP_ERR_HTTP_NETWORK');
export const HttpAbortedError = defineError('TSPOP_ERR_HTTP_ABORTED');
export const HttpBodyError = defineError('TSPOP_ERR_HTTP_BODY');
