/**
 * Which `.ts` file each cache copy was compiled from, so an error Node raises while linking a copy (a missing
 * export, a module not found) names the file the user wrote, not the copy in the cache.
 */
import { pathToFileURL } from 'node:url';

const origins = new Map<string, string>();

export function noteOrigin(cached: string, original: string): void {
  origins.set(cached, original);
}

/** `text` with every cache copy it names (as a path or a file: URL) replaced by its original. */
export function withOrigins(text: string): string {
  let out = text;
  for (const [cached, original] of origins) {
    if (!out.includes(cached.slice(cached.lastIndexOf('/') + 1))) continue;
    out = out.split(pathToFileURL(cached).href).join(original).split(cached).join(original);
  }
  return out;
}

/** Rewrites the message (and stack) of an error raised while loading cache copies; returns it. */
export function errorWithOrigins(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const message = withOrigins(err.message);
  if (message === err.message) return err;
  const stack = err.stack === undefined ? undefined : withOrigins(err.stack);
  try {
    err.message = message;
    if (stack !== undefined) err.stack = stack;
  } catch {
    // a frozen error: leave it as Node made it
  }
  return err;
}
