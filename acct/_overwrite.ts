import { lstat } from 'node:fs/promises';
import { AcctFileExistsError } from './_errors.ts';
import { realTarget } from './_lock.ts';

/** Decrypts `file` with `key` (throws when it does not open). */
export type Opener = (file: string, key: string) => Promise<unknown>;

/**
 * Where a new acct file for `file` may be written, or AcctFileExistsError. A file already there is replaced only
 * when it opens with `key` (then it is re-encrypted where it really is, through a symlink) or with `force` (then
 * the name itself is replaced, a symlink included, never its target): a new key must not silently replace a file
 * whose key may already be deployed.
 */
export async function overwriteTarget(file: string, key: string | undefined, force: boolean, open: Opener): Promise<string> {
  try {
    await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw err;
  }
  if (force) return file;
  if (key === undefined) {
    throw new AcctFileExistsError(`${file} already exists; a new key would replace the one it has: pass its key (ACCT_KEY or --acct-key-file) to re-encrypt it, or --force to replace it`);
  }
  try {
    await open(file, key);
  } catch (cause) {
    throw new AcctFileExistsError(`${file} already exists and does not open with the given key: pass --force to replace it`, { cause });
  }
  return realTarget(file);
}
