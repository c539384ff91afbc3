/** acct's error codes (TSPOP_ERR_ACCT_*), registered with the hub's one error registry. */
import { defineError } from '../src/errors.ts';

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
/** A plaintext file (YAML to encrypt, the edited text) is not UTF-8; the message names the file and the byte offset. */
export const AcctEncodingError = defineError('TSPOP_ERR_ACCT_NOT_UTF8');
/** Decrypted or parsed data is not a profile mapping (not msgpack, not a mapping, a forbidden key...). */
export const AcctFormatError = defineError('TSPOP_ERR_ACCT_FORMAT');
/** An `acct-backends` entry failed (unknown backend, bad options, the backend threw). */
export const AcctBackendError = defineError('TSPOP_ERR_ACCT_BACKEND');
/** A gather plugin failed or returned something other than `{ provider: { profile: ctx } }`. */
export const AcctGatherError = defineError('TSPOP_ERR_ACCT_GATHER');
/** Another acct process holds the file's lock (an edit or encrypt of the same file is running), or ours was lost. */
export const AcctLockedError = defineError('TSPOP_ERR_ACCT_LOCKED');
/** The output acct file exists and does not open with the given key (or none was given): refused without force. */
export const AcctFileExistsError = defineError('TSPOP_ERR_ACCT_FILE_EXISTS');
/** The acct file changed on disk while `acct edit` had it open; the edit was kept elsewhere, not written over it. */
export const AcctConflictError = defineError('TSPOP_ERR_ACCT_CONFLICT');
/** Long work (parsing a big file) was stopped by a signal before anything was written. */
export const AcctInterruptedError = defineError('TSPOP_ERR_ACCT_INTERRUPTED');
/** `acct edit`: the editor could not start, failed or was interrupted. */
export const AcctEditorError = defineError('TSPOP_ERR_ACCT_EDITOR');
