import { describe, expect, it } from 'vitest';
import * as driplineErrors from '../../../plugins/dripline/_errors.ts';
import { codesOf, neverThrown } from '../../helpers/error-registry.ts';

describe('dripline error codes', () => {
  it('pins the codes plugins/dripline/_errors.ts registers', () => {
    expect(codesOf(driplineErrors)).toEqual([
      'TSPOP_ERR_DRIPLINE_BROKER',
      'TSPOP_ERR_DRIPLINE_CALIBRATION',
      'TSPOP_ERR_DRIPLINE_CLOSED',
      'TSPOP_ERR_DRIPLINE_CONFIG',
      'TSPOP_ERR_DRIPLINE_CONFIG_FILE',
      'TSPOP_ERR_DRIPLINE_ENV',
      'TSPOP_ERR_DRIPLINE_MESSAGE',
      'TSPOP_ERR_DRIPLINE_MODULE',
      'TSPOP_ERR_DRIPLINE_REPLY',
      'TSPOP_ERR_DRIPLINE_TIMEOUT',
      'TSPOP_ERR_DRIPLINE_UNROUTABLE',
      'TSPOP_ERR_DRIPLINE_USAGE',
    ]);
  });

  it('every dripline code is thrown somewhere in the family or the dragonfly CLI', () => {
    expect(neverThrown(driplineErrors, ['plugins/dripline', 'scripts/dragonfly.ts'], '_errors.ts')).toEqual([]);
  });

  it('errors carry the return code they stand for: 404, 403, 101, else 999', () => {
    const { returnCodeOf, replyError } = driplineErrors;
    expect(returnCodeOf(new driplineErrors.DriplineTimeoutError('x'))).toBe(404);
    expect(returnCodeOf(new driplineErrors.DriplineUnroutableError('x'))).toBe(403);
    expect(returnCodeOf(new driplineErrors.DriplineBrokerError('x'))).toBe(101);
    expect(returnCodeOf(replyError(driplineErrors.DriplineReplyError, 201, 'x'))).toBe(201);
    expect(returnCodeOf(new Error('x'))).toBe(999);
  });
});
