import { describe, expect, it } from 'vitest';
import * as httpErrors from '../../../plugins/http/_errors.ts';
import { codesOf, neverThrown } from '../../helpers/error-registry.ts';

describe('http error codes', () => {
  it('pins the codes plugins/http/_errors.ts registers', () => {
    expect(codesOf(httpErrors)).toEqual([
      'TSPOP_ERR_HTTP_ABORTED',
      'TSPOP_ERR_HTTP_BODY',
      'TSPOP_ERR_HTTP_NETWORK',
      'TSPOP_ERR_HTTP_OPTIONS',
      'TSPOP_ERR_HTTP_STATUS',
      'TSPOP_ERR_HTTP_TIMEOUT',
    ]);
  });

  it('every http code is thrown somewhere in the http dyne', () => {
    expect(neverThrown(httpErrors, ['plugins/http'], '_errors.ts')).toEqual([]);
  });
});
