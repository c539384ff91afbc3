import { describe, expect, it } from 'vitest';
import * as amqpErrors from '../../../plugins/amqp/_errors.ts';
import { codesOf, neverThrown } from '../../helpers/error-registry.ts';

describe('amqp error codes', () => {
  it('pins the codes plugins/amqp/_errors.ts registers', () => {
    expect(codesOf(amqpErrors)).toEqual([
      'TSPOP_ERR_AMQP_CHANNEL',
      'TSPOP_ERR_AMQP_CLOSED',
      'TSPOP_ERR_AMQP_EXCHANGE_TYPE',
      'TSPOP_ERR_AMQP_HANDLER',
      'TSPOP_ERR_AMQP_LOGIN_REFUSED',
      'TSPOP_ERR_AMQP_NACK',
      'TSPOP_ERR_AMQP_OPTIONS',
      'TSPOP_ERR_AMQP_RETURNED',
      'TSPOP_ERR_AMQP_TOPOLOGY',
      'TSPOP_ERR_AMQP_UNREACHABLE',
    ]);
  });

  it('every amqp code is thrown somewhere in the amqp dyne', () => {
    expect(neverThrown(amqpErrors, ['plugins/amqp'], '_errors.ts')).toEqual([]);
  });
});
