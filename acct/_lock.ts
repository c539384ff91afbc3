/**
 * Inter-process locks on acct files, so two `acct encrypt` or `acct edit` of one file cannot both succeed with
 * only one result kept. proper-lockfile (a `<file>.lock` folder made with mkdir, which is atomic on local and
 * network filesystems, kept fresh while held and taken over once stale) rather than an flock: Node has no
 * flock, and a lock folder also works where the acct file itself does not exist yet.
 */
import { requireCjs } from '../src/require-cjs.ts';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AcctLockedError } from './_errors.ts';

export interface LockOptions {
  /** How long to keep trying when another process holds the lock (ms; 0: fail at once). */
  readonly waitMs?: number;
}

/** A lock held lost: another process took it over (ours went stale), so our write must not happen. */
export interface HeldLock {
  release(): Promise<void>;
  /** Throws AcctLockedError when the lock was lost while held. */
  check(): void;
}

/** Locks `file` (after symlinks, so every name of one file shares one lock) and returns the lock. */
export async function lockAcctFile(file: string, opts: LockOptions = {}): Promise<HeldLock> {
  const real = await realTarget(file);
  let lost: Error | undefined;
  const waitMs = opts.waitMs ?? 0;
  let release: () => Promise<void>;
  try {
    // required on first use: decrypt never locks, and proper-lockfile brings graceful-fs (13 files) with it
    const { lock } = requireCjs('proper-lockfile') as typeof import('proper-lockfile');
    release = await lock(real, {
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 100), minTimeout: 100, maxTimeout: 100, factor: 1 } : 0,
      onCompromised: (err) => {
        lost = err;
      },
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new AcctLockedError(`${file} is being written or edited by another acct process (lock ${real}.lock); try again when it is done`, { cause });
    }
    throw new AcctLockedError(`cannot lock ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  return {
    release: () => release().catch(() => undefined),
    check: () => {
      if (lost) throw new AcctLockedError(`lost the lock on ${file} (${lost.message}); it was not written`, { cause: lost });
    },
  };
}

/** `file` with symlinks resolved; for a file not there yet, its folder's real path and its name. */
export async function realTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    try {
      return join(await realpath(dirname(file)), basename(file));
    } catch {
      return file;
    }
  }
}
