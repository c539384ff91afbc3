import type { ModuleLoader } from './module-loader.ts';
import type { ModulePart } from './build-module.ts';
import { withTimeout } from './with-timeout.ts';
import { describeError } from './describe-error.ts';
import { ModLoadError, type TspopError } from './errors.ts';

/** One module's files, imported, or the error of the first that failed (with its path). */
export type ImportedGroup = { readonly name: string; readonly parts: ModulePart[] } | { readonly name: string; readonly error: TspopError; readonly path: string };

type Io = { fresh: boolean; timeoutMs: number };

/**
 * Imports each named group of files (several projects' files merge into one module). Every group starts at once:
 * Node loads a thousand `import()`s started together in about 0.7-0.85x the time it takes when they are fed 32 at
 * a time (its reads, compiles and the thread pool overlap better; see test/bench/loader.bench.ts).
 *
 * `timeoutMs` is per file, for a file that never finishes loading (a top-level await that hangs), not for a big
 * folder: a file fails only once it has been loading for `timeoutMs` during which no other file of the batch
 * finished. A loader that works one file at a time (a custom one, or a slow disk) then never fails files for the
 * time the others took, and a stuck file still fails `timeoutMs` after the last progress.
 */
export async function importPlugins(
  loader: ModuleLoader,
  groups: ReadonlyMap<string, readonly string[]>,
  names: readonly string[],
  opts: Io,
): Promise<ImportedGroup[]> {
  const jobs = names.filter((n) => groups.has(n)).map((name) => ({ name, paths: groups.get(name) as readonly string[] }));
  const watchdog = new Watchdog(opts.timeoutMs);
  try {
    return await Promise.all(jobs.map((job) => importGroup(loader, job.name, job.paths, opts, watchdog)));
  } finally {
    watchdog.stop();
  }
}

/** Imports one file with its own timeout. */
export function importOne(loader: ModuleLoader, path: string, opts: Io): Promise<Record<string, unknown>> {
  return withTimeout(loader.load(path, { fresh: opts.fresh }), opts.timeoutMs, `loading ${path}`);
}

async function importGroup(loader: ModuleLoader, name: string, paths: readonly string[], opts: Io, watchdog: Watchdog): Promise<ImportedGroup> {
  const parts: ModulePart[] = [];
  for (const path of paths) {
    try {
      parts.push({ path, exports: await watchdog.watch(loader.load(path, { fresh: opts.fresh }), `loading ${path}`) });
    } catch (cause) {
      return { name, path, error: new ModLoadError(`cannot load plugin ${path}: ${describeError(cause)}`, { cause }) };
    }
  }
  return { name, parts };
}

/**
 * One timer for a batch of loads (a timer per file cost more than the rest of a warm load's bookkeeping): it
 * fires `ms` after the last load of the batch finished, and fails every load still running then.
 */
class Watchdog {
  private readonly ms: number;
  private readonly pending = new Map<number, { what: string; reject: (err: Error) => void }>();
  private ids = 0;
  private last = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.ms = ms;
  }

  /** `p`, or its timeout; one promise per file (a race of a timeout promise and `p.finally` made three). */
  watch<T>(p: Promise<T>, what: string): Promise<T> {
    this.timer ??= setTimeout(() => this.check(), this.ms);
    const id = ++this.ids;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { what, reject });
      p.then(
        (value) => {
          this.done(id);
          resolve(value);
        },
        (err: unknown) => {
          this.done(id);
          reject(err as Error);
        },
      );
    });
  }

  private done(id: number): void {
    this.pending.delete(id);
    this.last = performance.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const idle = performance.now() - this.last;
    if (idle < this.ms) {
      this.timer = setTimeout(() => this.check(), this.ms - idle);
      return;
    }
    for (const { what, reject } of this.pending.values()) reject(new ModLoadError(`${what} did not finish within ${this.ms} ms`));
    this.pending.clear();
  }
}
