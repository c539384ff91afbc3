import { describe, expect, it } from 'vitest';
import * as evbusErrors from '../../../plugins/evbus/_errors.ts';
import { codesOf, neverThrown } from '../../helpers/error-registry.ts';

describe('evbus error codes', () => {
  it('pins the codes plugins/evbus/_errors.ts registers', () => {
    expect(codesOf(evbusErrors)).toEqual([
      'TSPOP_ERR_EVBUS_ACCT',
      'TSPOP_ERR_EVBUS_ALREADY_STARTED',
      'TSPOP_ERR_EVBUS_AMQP_CLOSED',
      'TSPOP_ERR_EVBUS_AMQP_NACK',
      'TSPOP_ERR_EVBUS_AMQP_PROFILE',
      'TSPOP_ERR_EVBUS_CONTEXT',
      'TSPOP_ERR_EVBUS_DRAIN_TIMEOUT',
      'TSPOP_ERR_EVBUS_HTTP_FAILED',
      'TSPOP_ERR_EVBUS_HTTP_PROFILE',
      'TSPOP_ERR_EVBUS_INGRESS_INVALID',
      'TSPOP_ERR_EVBUS_MATCH',
      'TSPOP_ERR_EVBUS_NOT_STARTED',
      'TSPOP_ERR_EVBUS_OPTIONS',
      'TSPOP_ERR_EVBUS_QUEUE_FULL',
      'TSPOP_ERR_EVBUS_SERIAL',
    ]);
  });

  it('every evbus code is thrown somewhere in the evbus family', () => {
    expect(neverThrown(evbusErrors, ['plugins/evbus', 'plugins/ingress', 'plugins/serial', 'acct/evbus', 'scripts/evbus-test.ts'], '_errors.ts')).toEqual([]);
  });
});
