/** The queue family's error codes (TSPOP_ERR_QUEUE_*): transports, the disk spool and the seed-shaped facades. */
import { defineError } from '../../src/errors.ts';

// ── configuration and plugins ─────────────────────────────────────────────────
/** A queue_config entry, transport option or ramen config field is missing or has the wrong type. */
export const QueueConfigError = defineError('TSPOP_ERR_QUEUE_CONFIG');
/** No transport plugin of that name in the queue dyne. */
export const QueueTransportNotFoundError = defineError('TSPOP_ERR_QUEUE_TRANSPORT_NOT_FOUND');
/** A file in the queue dyne claims to be a transport but lacks producer()/consumer(). */
export const QueueTransportInvalidError = defineError('TSPOP_ERR_QUEUE_TRANSPORT_INVALID');
/** A producer or consumer was used before init() or after close(). */
export const QueueStateError = defineError('TSPOP_ERR_QUEUE_STATE');

// ── sending and consuming ─────────────────────────────────────────────────────
/** The broker or server refused a message for good (nack, 4xx, unroutable): it was not delivered. */
export const QueueSendError = defineError('TSPOP_ERR_QUEUE_SEND');
/** The producer or consumer closed with the message still unconfirmed. */
export const QueueClosedError = defineError('TSPOP_ERR_QUEUE_CLOSED');
/** The broker lacks a plugin the configuration needs (e.g. rabbitmq_delayed_message_exchange). */
export const QueueBrokerPluginError = defineError('TSPOP_ERR_QUEUE_BROKER_PLUGIN');
/** The broker refused a declaration (exchange or queue exists with other arguments, access refused). */
export const QueueTopologyError = defineError('TSPOP_ERR_QUEUE_TOPOLOGY');

// ── disk spool ────────────────────────────────────────────────────────────────
/** The spool directory cannot be used (not a directory, not writable, another reader holds it). */
export const QueueSpoolError = defineError('TSPOP_ERR_QUEUE_SPOOL');
/** Another reader holds the spool's reader lock. */
export const QueueSpoolLockedError = defineError('TSPOP_ERR_QUEUE_SPOOL_LOCKED');

// ── ramen (HTTP forwarding) ───────────────────────────────────────────────────
/** The ramen server refused the auth token (401/403). */
export const QueueAuthError = defineError('TSPOP_ERR_QUEUE_AUTH');
