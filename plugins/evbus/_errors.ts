/** The evbus family's error codes (TSPOP_ERR_EVBUS_*): the bus, its ingress plugins and their acct gather plugins. */
import { defineError } from '../../src/errors.ts';

// ── evbus ─────────────────────────────────────────────────────────────────────
export const EvbusOptionsError = defineError('TSPOP_ERR_EVBUS_OPTIONS');
export const EvbusAlreadyStartedError = defineError('TSPOP_ERR_EVBUS_ALREADY_STARTED');
export const EvbusNotStartedError = defineError('TSPOP_ERR_EVBUS_NOT_STARTED');
export const EvbusQueueFullError = defineError('TSPOP_ERR_EVBUS_QUEUE_FULL');
export const EvbusSerialError = defineError('TSPOP_ERR_EVBUS_SERIAL');
export const EvbusMatchError = defineError('TSPOP_ERR_EVBUS_MATCH');
export const EvbusIngressInvalidError = defineError('TSPOP_ERR_EVBUS_INGRESS_INVALID');
export const EvbusContextError = defineError('TSPOP_ERR_EVBUS_CONTEXT');
export const EvbusAcctError = defineError('TSPOP_ERR_EVBUS_ACCT');
export const EvbusAmqpProfileError = defineError('TSPOP_ERR_EVBUS_AMQP_PROFILE');
export const EvbusAmqpNackError = defineError('TSPOP_ERR_EVBUS_AMQP_NACK');
export const EvbusAmqpClosedError = defineError('TSPOP_ERR_EVBUS_AMQP_CLOSED');
export const EvbusHttpProfileError = defineError('TSPOP_ERR_EVBUS_HTTP_PROFILE');
export const EvbusHttpFailedError = defineError('TSPOP_ERR_EVBUS_HTTP_FAILED');
/** Stopping the bus gave up waiting for deliveries (a broker down): the message says what was not delivered. */
export const EvbusDrainTimeoutError = defineError('TSPOP_ERR_EVBUS_DRAIN_TIMEOUT');
