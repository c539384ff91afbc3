/** What a driver or broker error means for us, read from amqplib's errors; and their text, safe to print. */
import { describeError } from '../../../src/describe-error.ts';

/** A login the broker refused (wrong user or password, the user may not use the vhost, or there is no such vhost). */
export function isLoginRefused(err: unknown): boolean {
  const text = describeError(err);
  // the broker closes the connection at connection.open (530) for a vhost that does not exist or that the user may
  // not use; amqplib reports only that the open was answered with a close
  return /ACCESS[-_]REFUSED/.test(text) || /NOT[-_]ALLOWED/.test(text) || /Expected ConnectionOpenOk; got <ConnectionClose/.test(text)
    || (err as { code?: unknown } | null)?.code === 403;
}

/** The AMQP reply code a channel or connection was closed with (404, 406, 320 ...), when there is one. */
export function replyCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code;
  const m = /\b(\d{3}) \([A-Z-]+\)/.exec(describeError(err));
  return m ? Number(m[1]) : undefined;
}

/** The broker's reply text (`NOT_FOUND - no exchange 'x' in vhost '/'`), or the whole message. */
export function replyTextOf(err: unknown): string {
  const text = describeError(err);
  const m = /with message "(.*)"$/.exec(text);
  return m ? (m[1] as string) : text;
}

/** The exchange a `404 no exchange 'x'` names: the broker closed the channel because of messages sent there. */
export function missingExchangeOf(err: unknown): string | undefined {
  const m = /no exchange '((?:[^'\\]|\\.)*)'/.exec(describeError(err));
  return m ? m[1] : undefined;
}

/** A broker, driver or socket error as one line with the connection's passwords and any URL password masked. */
export function safeText(err: unknown, secrets: readonly string[]): string {
  return describeError(err, { redact: secrets });
}
