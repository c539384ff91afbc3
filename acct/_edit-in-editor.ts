import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { access, chmod, constants as fsc, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTerminatingSignal, signalExitCode } from '../src/terminating-signals.ts';
import { AcctEditorError } from './_errors.ts';
import { plainText } from './_read-file.ts';

export interface EditOptions {
  /** The editor command, e.g. `vi` or `code -w`: split on whitespace; the file is passed as the last argument. */
  readonly editor: string;
  /** The temp file's name; its ending tells the editor the syntax (default `acct.yaml`). */
  readonly fileName?: string;
  /**
   * Folders to try, in order, for the private temp folder (default: /dev/shm, then the OS temp folder). The first
   * that exists and is writable wins; `acct edit` passes /dev/shm and the acct file's own folder.
   */
  readonly places?: readonly string[];
  /** Names the text in errors, e.g. `the edited text of creds.yml.fernet`. */
  readonly label?: string;
  /** Throws when the edited text is unusable (e.g. a YAML syntax error). */
  readonly validate?: (text: string) => void;
  /**
   * Asked when `validate` throws: resolve true to reopen the editor on the same file, so the user's edits are not
   * lost to a typo. Default: never (the error is thrown and nothing is saved).
   */
  readonly editAgain?: (err: unknown) => Promise<boolean>;
}

/** Memory-backed where the system has it: plaintext that never reaches a disk cannot be recovered from one. */
export const DEV_SHM = '/dev/shm';
const PREFIX = 'acct-edit-';

/**
 * Lets the user edit `text` in their editor and returns the result. The text lives in a private folder (0700,
 * file 0600, named `acct-edit-<pid>-*`) that is removed on every way out this process can see: success, editor
 * failure, an exception, process.exit (runCli's second Ctrl-C) and every catchable terminating signal (SIGHUP when
 * the terminal goes away, SIGTERM, SIGQUIT...), which also ends the editor. SIGINT is left to the editor, which is
 * in the same process group and decides; a second one ends acct. SIGKILL cannot be seen: the folder stays until
 * the next edit in the same place removes folders whose process is gone. A non-zero exit or a signal of the editor
 * is an AcctEditorError: nothing was saved.
 */
export async function editInEditor(text: string, options: EditOptions): Promise<string> {
  const [cmd, ...args] = options.editor.trim().split(/\s+/).filter((s) => s !== '');
  if (cmd === undefined) throw new AcctEditorError('no editor: set EDITOR or pass --editor');
  const base = await firstWritable(options.places ?? [DEV_SHM, tmpdir()]);
  removeOrphans(base);
  const dir = await mkdtemp(join(base, `${PREFIX}${process.pid}-`));
  let editor: ChildProcess | undefined;
  let interrupts = 0;
  const removeNow = (): void => rmSync(dir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGINT' && ++interrupts < 2) return; // the editor got it too: its call
    editor?.kill('SIGTERM');
    removeNow();
    process.exit(signalExitCode(signal));
  };
  process.on('exit', removeNow);
  const stopListening = onTerminatingSignal(onSignal);
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
      const run = await runEditor(cmd, [...args, file], (child) => (editor = child));
      editor = undefined;
      if (run.error) {
        const code = (run.error as NodeJS.ErrnoException).code ?? run.error.message;
        throw new AcctEditorError(`cannot start editor ${cmd}: ${code}`, { cause: run.error });
      }
      if (run.signal) throw new AcctEditorError(`editor ${cmd} was stopped by ${run.signal}; nothing was saved`);
      if (run.code !== 0) throw new AcctEditorError(`editor ${cmd} exited with code ${run.code}; nothing was saved`);
      try {
        // an editor may have saved in another encoding: that is one more thing to fix in the editor, not to store
        const edited = plainText(await readFile(file), options.label ?? 'the edited text');
        options.validate?.(edited);
        return edited;
      } catch (err) {
        if (!(await options.editAgain?.(err))) throw err;
      }
    }
  } finally {
    stopListening();
    process.off('exit', removeNow);
    await rm(dir, { recursive: true, force: true });
  }
}

async function firstWritable(places: readonly string[]): Promise<string> {
  for (const place of places) {
    try {
      await access(place, fsc.W_OK | fsc.X_OK);
      if (statSync(place).isDirectory()) return place;
    } catch {
      // next
    }
  }
  return tmpdir();
}

/** Folders of edits whose process is gone (SIGKILL, power loss while on disk): their plaintext goes now. */
function removeOrphans(base: string): void {
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = Number(/^acct-edit-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    try {
      const path = join(base, name);
      if (uid !== undefined && statSync(path).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
    } catch {
      // not ours to remove, or already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface EditorRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error: Error | undefined;
}

function runEditor(cmd: string, args: string[], started: (child: ChildProcess) => void): Promise<EditorRun> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    started(child);
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
