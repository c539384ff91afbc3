import { describe, expect, it } from 'vitest';
import * as queueErrors from '../../../plugins/queue/_errors.ts';
import { codesOf, neverThrown } from '../../helpers/error-registry.ts';

describe('queue error codes', () => {
  it('pins the codes plugins/queue/_errors.ts registers', () => {
    expect(codesOf(queueErrors)).toEqual([
      'TSPOP_ERR_QUEUE_AUTH',
      'TSPOP_ERR_QUEUE_BROKER_PLUGIN',
      'TSPOP_ERR_QUEUE_CLOSED',
      'TSPOP_ERR_QUEUE_CONFIG',
      'TSPOP_ERR_QUEUE_SEND',
      'TSPOP_ERR_QUEUE_SPOOL',
      'TSPOP_ERR_QUEUE_SPOOL_LOCKED',
      'TSPOP_ERR_QUEUE_STATE',
      'TSPOP_ERR_QUEUE_TOPOLOGY',
      'TSPOP_ERR_QUEUE_TRANSPORT_INVALID',
      'TSPOP_ERR_QUEUE_TRANSPORT_NOT_FOUND',
    ]);
  });

  it('every queue code is thrown somewhere in the queue family', () => {
    expect(neverThrown(queueErrors, ['plugins/queue'], '_errors.ts')).toEqual([]);
  });
});
