/**
 * Masks what may be a secret in free text that tspop did not write itself (a driver's or a parser's message).
 * URLs are taken apart rather than matched with one pattern, because a password may hold `/`, `@` or `:`.
 */

/** The mask every redaction writes. */
export const MASK = '***';

/** A Fernet key (32 bytes, url-safe base64) and other long base64 runs: printed by no message on purpose. */
const KEY_LIKE = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/_-])/g;
/** `password=x`, `password: x`, `"token": "x"`: the value after a secret-sounding key. */
const SECRET_PAIR = /\b((?:pass(?:word|wd)?|secret|token|api[_-]?key|auth|credentials?|key)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;}]+)/gi;

/** True for a value a CLI must never echo: it looks like a key or a long token. */
export function looksSecret(value: string): boolean {
  KEY_LIKE.lastIndex = 0;
  for (let m = KEY_LIKE.exec(value); m; m = KEY_LIKE.exec(value)) if (!isPath(m[0])) return true;
  return false;
}

/** `text` with URL passwords, key-like runs, secret-looking key/value pairs and every string of `known` masked. */
export function redactText(text: string, known: readonly string[] = []): string {
  let out = redactUrls(redactKnown(text, known));
  out = out.replace(SECRET_PAIR, (_, key: string) => `${key}${MASK}`);
  return redactKeys(out);
}

/**
 * `text` with every string of `known` (values given for secret options) and every key-like run masked, for
 * messages tspop writes itself (usage errors), where `password: x` pairs are not a concern.
 */
export function redactKnown(text: string, known: readonly string[] = []): string {
  let out = text;
  // longest first, so a secret that contains another is masked whole
  for (const secret of [...known].sort((a, b) => b.length - a.length)) if (secret.length >= 3) out = out.split(secret).join(MASK);
  return redactKeys(out);
}

function redactKeys(text: string): string {
  return text.replace(KEY_LIKE, (run) => (isPath(run) ? run : MASK));
}

/**
 * A long run with `/` that starts with one (an absolute path: `/home/u/.../x`) is a file name, which messages
 * must keep; a base64 key starts with `/` only when its first 6 bits are 63, and then it is 44 characters long.
 */
function isPath(run: string): boolean {
  return run.startsWith('/') && run.length !== 44 && run.split('/').length > 2;
}

/**
 * Every `scheme://user:password@host` in `text` with the password masked. The user info runs to the LAST `@`
 * before the next white space, so `amqp://u:hun/ter2@host` and `amqp://u:p@ss@host` lose the whole password.
 */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)(\S+)/gi, (_, scheme: string, rest: string) => {
    const at = rest.lastIndexOf('@');
    if (at < 0) return scheme + rest;
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    return `${scheme}${user}${colon < 0 ? '' : `:${MASK}`}${rest.slice(at)}`;
  });
}
