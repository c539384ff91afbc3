import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../write-file-atomic.ts';
import { TspopError, TypesOverwriteError, TypesWriteError } from '../errors.ts';

/**
 * Writes a generated file in one step (a reader never sees half of it), creating its folder. A file already
 * there is replaced only when it starts with `marker` (an earlier run wrote it), so a mistyped `--out` cannot
 * destroy a hand-written file. Identical contents are left alone, so watchers and build caches see no change.
 */
export async function writeGeneratedFile(file: string, text: string, marker: string): Promise<'written' | 'unchanged'> {
  const current = await readExisting(file);
  if (current === text) return 'unchanged';
  if (current !== undefined && !current.startsWith(marker)) {
    throw new TypesOverwriteError(`${file} exists and was not written by tspop types; remove it or choose another --out`);
  }
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, text, TypesWriteError, 0o644);
  } catch (cause) {
    throw writeError(file, TspopError.is(cause) ? cause.cause : cause);
  }
  return 'written';
}

async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw writeError(file, cause);
  }
}

function writeError(file: string, cause: unknown): TspopError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new TypesWriteError(`cannot write ${file}: ${code ?? (cause as Error | undefined)?.message ?? String(cause)}`, { cause });
}
