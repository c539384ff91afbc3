import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { TspopErrorClass } from './errors.ts';

/**
 * Writes `data` to `path` so that a reader (or a crash) only ever sees the old file or the whole new one: a
 * private temp file in the same folder (created exclusively, mode 0600 whatever the umask), fsync, rename over
 * `path`, fsync of the folder. On any failure the temp file is removed and `path` is untouched.
 * Renaming replaces a symlink at `path` rather than writing through it. Failures are thrown as the caller's
 * `errorClass` (each family names its own write failure), naming the file and the errno code only.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, errorClass: TspopErrorClass, mode = 0o600): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const fh = await open(temp, 'wx', mode);
    created = true;
    try {
      await fh.chmod(mode); // open's mode is filtered by the umask; the file must be exactly `mode`
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, target);
    created = false;
  } catch (cause) {
    if (created) await rm(temp, { force: true }).catch(() => undefined);
    const code = (cause as NodeJS.ErrnoException).code;
    throw new errorClass(`cannot write ${path}: ${code ?? (cause as Error).message}`, { cause });
  }
  await syncDir(dir);
}

/** Makes the rename itself durable. Some filesystems cannot fsync a folder; the file is written either way. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // best effort
  }
}
