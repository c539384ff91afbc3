import { describe, expect, it } from 'vitest';
import * as acctErrors from '../../acct/_errors.ts';
import { codesOf, neverThrown } from '../helpers/error-registry.ts';

describe('acct error codes', () => {
  it('pins the codes acct/_errors.ts registers', () => {
    expect(codesOf(acctErrors)).toEqual([
      'TSPOP_ERR_ACCT_BACKEND',
      'TSPOP_ERR_ACCT_CONFLICT',
      'TSPOP_ERR_ACCT_DECRYPT',
      'TSPOP_ERR_ACCT_EDITOR',
      'TSPOP_ERR_ACCT_FILE_EXISTS',
      'TSPOP_ERR_ACCT_FILE_NOT_FOUND',
      'TSPOP_ERR_ACCT_FILE_READ',
      'TSPOP_ERR_ACCT_FILE_WRITE',
      'TSPOP_ERR_ACCT_FORMAT',
      'TSPOP_ERR_ACCT_GATHER',
      'TSPOP_ERR_ACCT_INTERRUPTED',
      'TSPOP_ERR_ACCT_INVALID_KEY',
      'TSPOP_ERR_ACCT_INVALID_TOKEN',
      'TSPOP_ERR_ACCT_KEY_MISSING',
      'TSPOP_ERR_ACCT_LOCKED',
      'TSPOP_ERR_ACCT_NOT_UTF8',
      'TSPOP_ERR_ACCT_OPTIONS',
      'TSPOP_ERR_ACCT_YAML',
    ]);
  });

  it('are each thrown somewhere in acct/ or scripts/acct.ts', () => {
    expect(neverThrown(acctErrors, ['acct', 'scripts/acct.ts'], '_errors.ts')).toEqual([]);
  });
});
