/**
 * Progress of long work on stderr, where people expect it and nowhere else: at a terminal it redraws one line
 * (`\r`), at most every 100 ms; with `--progress` off a terminal it prints a line at most once a second; otherwise
 * nothing, so pipes and logs stay clean. stdout is never touched.
 */
export interface Progress {
  /** `text` is the whole status, e.g. `1200/5000 events`. */
  update(text: string): void;
  /** Clears the line (at a terminal) once the work is done. */
  done(): void;
}

export interface ProgressOptions {
  /** `--progress`: show it even when stderr is not a terminal. */
  readonly forced?: boolean;
  readonly stream?: NodeJS.WriteStream;
}

export function createProgress(name: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  if (!tty && !opts.forced) return { update: () => undefined, done: () => undefined };
  const every = tty ? 100 : 1000;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      shown = true;
      stream.write(tty ? `\r\x1b[K${name}: ${text}` : `${name}: ${text}\n`);
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
