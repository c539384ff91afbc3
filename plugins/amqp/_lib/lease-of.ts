import { AmqpClosedError, AmqpOptionsError } from '../_errors.ts';
import { ConnectionLease } from './connection-lease.ts';
import type { AmqpConnection } from './types.ts';

/** The lease behind `conn` (what hub.amqp.connection.open returned), open; coded errors otherwise. */
export function leaseOf(conn: AmqpConnection, caller: string): ConnectionLease {
  if (!(conn instanceof ConnectionLease)) throw new AmqpOptionsError(`${caller}: the first argument must be a connection from hub.amqp.connection.open()`);
  if (conn.closed) throw conn.shared.failure ?? new AmqpClosedError(`${caller}: connection ${conn.label} is closed`);
  return conn;
}
