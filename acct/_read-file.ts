import { readFile } from 'node:fs/promises';
import { decodeUtf8 } from '../src/utf8.ts';
import { AcctEncodingError, AcctFileNotFoundError, AcctFileReadError, AcctOptionsError } from './_errors.ts';

/** The bytes of `file`, with coded errors naming it: missing, a folder, no permission. */
export async function readInputFile(file: string, what = 'file'): Promise<Buffer> {
  if (typeof file !== 'string' || file === '') throw new AcctOptionsError(`no ${what} given`);
  try {
    return await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AcctFileNotFoundError(`${what} ${file} does not exist`, { cause });
    if (code === 'EISDIR') throw new AcctFileReadError(`cannot read ${what} ${file}: it is a folder`, { cause });
    if (code === 'EACCES' || code === 'EPERM') throw new AcctFileReadError(`cannot read ${what} ${file}: permission denied`, { cause });
    throw new AcctFileReadError(`cannot read ${what} ${file}: ${code ?? (cause as Error).message}`, { cause });
  }
}

/**
 * The token in an acct file: the bytes without trailing whitespace. Python acct writes the bare token, but its
 * base64 decoder skips stray newlines, so a file saved by an editor or `echo` still opens there; so it does here.
 */
export function tokenBytes(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && isSpace(bytes[end - 1] as number)) end--;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

function isSpace(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09;
}

/** `bytes` of `what` as text; not UTF-8 is an AcctEncodingError naming `what` and the byte offset (never the bytes). */
export function plainText(bytes: Uint8Array, what: string): string {
  return decodeUtf8(bytes, (offset) => new AcctEncodingError(`${what} is not UTF-8: invalid byte at offset ${offset}; save it as UTF-8`));
}
