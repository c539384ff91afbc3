import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcctEditorError } from './_errors.ts';

export interface EditOptions {
  /** The editor command, e.g. `vi` or `code -w`: split on whitespace; the file is passed as the last argument. */
  readonly editor: string;
  /** The temp file's name; its ending tells the editor the syntax (default `acct.yaml`). */
  readonly fileName?: string;
  /** Throws when the edited text is unusable (e.g. a YAML syntax error). */
  readonly validate?: (text: string) => void;
  /**
   * Asked when `validate` throws: resolve true to reopen the editor on the same file, so the user's edits are not
   * lost to a typo. Default: never (the error is thrown and nothing is saved).
   */
  readonly editAgain?: (err: unknown) => Promise<boolean>;
}

/**
 * Lets the user edit `text` in their editor and returns the result. The text lives in a private temp folder
 * (0700, file 0600) that is removed on every path: success, editor failure, an exception, and process.exit
 * (which runCli calls on a second Ctrl-C). A non-zero exit or a signal is an AcctEditorError: nothing was saved.
 * The first Ctrl-C reaches the editor too (same process group) and the editor decides; we wait for it.
 */
export async function editInEditor(text: string, options: EditOptions): Promise<string> {
  const [cmd, ...args] = options.editor.trim().split(/\s+/).filter((s) => s !== '');
  if (cmd === undefined) throw new AcctEditorError('no editor: set EDITOR or pass --editor');
  const dir = await mkdtemp(join(tmpdir(), 'acct-edit-'));
  const removeNow = (): void => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeNow);
  try {
    await chmod(dir, 0o700);
    const file = join(dir, options.fileName ?? 'acct.yaml');
    const fh = await open(file, 'wx', 0o600);
    try {
      await fh.chmod(0o600);
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    for (;;) {
      const run = await runEditor(cmd, [...args, file]);
      if (run.error) {
        const code = (run.error as NodeJS.ErrnoException).code ?? run.error.message;
        throw new AcctEditorError(`cannot start editor ${cmd}: ${code}`, { cause: run.error });
      }
      if (run.signal) throw new AcctEditorError(`editor ${cmd} was stopped by ${run.signal}; nothing was saved`);
      if (run.code !== 0) throw new AcctEditorError(`editor ${cmd} exited with code ${run.code}; nothing was saved`);
      const edited = await readFile(file, 'utf8');
      try {
        options.validate?.(edited);
        return edited;
      } catch (err) {
        if (!(await options.editAgain?.(err))) throw err;
      }
    }
  } finally {
    process.off('exit', removeNow);
    await rm(dir, { recursive: true, force: true });
  }
}

interface EditorRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error: Error | undefined;
}

function runEditor(cmd: string, args: string[]): Promise<EditorRun> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal, error: undefined }));
  });
}

/**
 * The terminal prompt for `editAgain`: shows the problem and waits for Enter (edit again) or anything else / end of
 * input (give up). Only meaningful when stdin is a TTY; the caller decides.
 */
export async function askToEditAgain(err: unknown): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${err instanceof Error ? err.message : String(err)}\nPress Enter to edit again, or type n to give up (nothing is saved): `);
    return answer.trim() === '';
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
