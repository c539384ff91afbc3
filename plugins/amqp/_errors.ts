/** The amqp dyne's error codes (TSPOP_ERR_AMQP_*): connections, topology, publishers and consumers. */
import { defineError } from '../../src/errors.ts';

// ── connections ───────────────────────────────────────────────────────────────
export const AmqpOptionsError = defineError('TSPOP_ERR_AMQP_OPTIONS');
export const AmqpLoginRefusedError = defineError('TSPOP_ERR_AMQP_LOGIN_REFUSED');
export const AmqpUnreachableError = defineError('TSPOP_ERR_AMQP_UNREACHABLE');
export const AmqpClosedError = defineError('TSPOP_ERR_AMQP_CLOSED');

// ── topology ──────────────────────────────────────────────────────────────────
export const AmqpTopologyError = defineError('TSPOP_ERR_AMQP_TOPOLOGY');
export const AmqpExchangeTypeError = defineError('TSPOP_ERR_AMQP_EXCHANGE_TYPE');

// ── publishing ────────────────────────────────────────────────────────────────
export const AmqpReturnedError = defineError('TSPOP_ERR_AMQP_RETURNED');
export const AmqpNackError = defineError('TSPOP_ERR_AMQP_NACK');
export const AmqpChannelError = defineError('TSPOP_ERR_AMQP_CHANNEL');

// ── consuming ─────────────────────────────────────────────────────────────────
export const AmqpHandlerError = defineError('TSPOP_ERR_AMQP_HANDLER');
