/**
 * Is the writer of a segment still there? Only then may a reader expect more records in it; otherwise the
 * segment is finished (sealed or its writer died) and can be deleted once read. On this host the writer's pid
 * answers; for a writer on another host sharing queue_dir, its proper-lockfile lock (kept fresh every
 * LOCK_UPDATE_MS, stale after LOCK_STALE_MS) does.
 */
import lockfile from 'proper-lockfile';
import { parseSegmentName, thisHost } from './segment-name.ts';

export const LOCK_STALE_MS = 15_000;
export const LOCK_UPDATE_MS = 3_000;

/** Segments that writers of this process are appending to. */
export const ACTIVE_SEGMENTS = new Set<string>();

export async function writerAlive(path: string, file: string): Promise<boolean> {
  const name = parseSegmentName(file);
  if (!name) return false;
  if (name.host === thisHost() && name.pid === process.pid) return ACTIVE_SEGMENTS.has(file);
  if (name.host === thisHost()) return pidAlive(name.pid);
  return lockfile.check(path, { realpath: false, stale: LOCK_STALE_MS }).catch(() => false);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
