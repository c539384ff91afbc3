/**
 * `acct` — Python acct's CLI: encrypt a YAML file of profiles, print an acct file's profiles, edit one in $EDITOR.
 *
 *   acct encrypt FILE [--output-file F] [--force]      writes F or FILE.fernet (0600, atomically); prints the key
 *                                                     (one line, nothing else) when it generated one
 *   acct FILE                                          the same, as pop's acct and pop-evbus's README run it; the
 *                                                     human lines go to stderr, the key alone to stdout
 *   acct decrypt FILE [--output yaml|json]             prints the profiles, backends included
 *   acct edit FILE [--editor E]                        decrypt -> $EDITOR -> encrypt in place with the same key
 *
 * The key: ACCT_KEY, --acct-key-file / ACCT_KEY_FILE, a hidden prompt at a terminal, or --acct-key (which `ps`
 * shows). FILE defaults to --acct-file / ACCT_FILE for decrypt and edit. An existing acct file is only replaced
 * when it opens with the given key, or with --force. Errors are one line without the key.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli } from '../src/cli/run-cli.ts';
import { TspopError, type TspopErrorClass } from '../src/errors.ts';
import { AcctConflictError, AcctKeyMissingError, AcctOptionsError } from '../acct/_errors.ts';
import { acctKeyOf } from '../acct/_key-source.ts';
import { lockAcctFile, realTarget, type HeldLock } from '../acct/_lock.ts';
import { overwriteTarget } from '../acct/_overwrite.ts';
import type { Dynamic, Hub } from '../src/types.ts';
import { parseAcctYaml, renderProfiles } from '../acct/_yaml.ts';
import { renderProfilesOffThread } from '../acct/_yaml-off-thread.ts';
import { createProgress, type Progress } from '../src/cli/progress.ts';

const NEW_FILE = `# acct profiles: provider -> profile name -> data, e.g.
# amqp:
#   default:
#     url: amqp://user:password@localhost:5672/
# default: default
`;
const COMMANDS = new Set(['encrypt', 'decrypt', 'edit']);

export default function main(argv = process.argv.slice(2)): Promise<number> {
  const seed = seedForm(argv);
  return runCli({
    name: 'acct',
    version: TSPOP_VERSION,
    config: ['acct'],
    argv: seed ? ['encrypt', ...argv] : argv,
    async main({ hub, subcommand, signal }) {
      if (subcommand === undefined) {
        process.stderr.write('acct: missing command (try: acct encrypt FILE, acct decrypt FILE, acct edit FILE, acct --help)\n');
        return 2;
      }
      await hub.pop.sub.add({ dyneName: 'acct' });
      const opt: Dynamic = hub.OPT.acct;
      const work: Work = { signal, progress: createProgress('acct', { forced: hub.OPT.tspop.progress === true }) };
      try {
        if (subcommand === 'encrypt') return await encryptCommand(hub, opt, seed, work);
        if (subcommand === 'decrypt') return await decryptCommand(hub, opt, work);
      } finally {
        work.progress.done();
      }
      return editCommand(hub, opt);
    },
  });
}

/**
 * `acct credentials.yml`: the first word names a YAML file rather than a command (pop's acct CLI takes the file
 * first). A word that is neither is left for the parser to call an unknown command.
 */
function seedForm(argv: readonly string[]): boolean {
  const first = argv[0];
  return first !== undefined && !first.startsWith('-') && !COMMANDS.has(first) && /\.ya?ml$/i.test(first);
}

/** Long work (a big file) stops on Ctrl-C/SIGTERM at once and shows its progress where people look. */
interface Work {
  readonly signal: AbortSignal;
  readonly progress: Progress;
}

async function encryptCommand(hub: Hub, opt: Dynamic, seed: boolean, work: Work): Promise<number> {
  if (!opt.input_file) throw usage(AcctOptionsError, 'acct encrypt: missing FILE (the plaintext YAML to encrypt)');
  const done = await hub.acct.init.encryptFile(opt.input_file, {
    acctKey: await acctKeyOf(opt, { forFile: opt.input_file, prompt: false }),
    outputFile: opt.output_file,
    cryptoPlugin: opt.crypto_plugin,
    force: opt.force === true,
    signal: work.signal,
    onProgress: (s: number) => work.progress.update(`reading ${opt.input_file}: ${s} s`),
  });
  if (seed) {
    // Python acct's lines for a person; stdout still holds the key alone, for KEY=$(acct credentials.yml)
    process.stderr.write(`New encrypted file created at: ${done.outputFile}\n`);
    process.stderr.write(done.generated ? 'The file was encrypted with this key:\n' : 'The file was encrypted with the key given.\n');
  }
  if (done.generated) process.stdout.write(`${done.acctKey}\n`);
  return 0;
}

async function decryptCommand(hub: Hub, opt: Dynamic, work: Work): Promise<number> {
  const file = acctFileOf(opt, 'decrypt');
  const key = await acctKeyOf(opt, { forFile: file, prompt: true });
  if (!key) throw usage(AcctKeyMissingError, `acct decrypt: no key for ${file} (set ACCT_KEY or pass --acct-key-file)`);
  const data = await hub.acct.init.profiles(file, key, {
    cryptoPlugin: opt.crypto_plugin,
    allowedBackendProfiles: opt.allowed_backend_profiles,
    hardFail: true,
  });
  const size = (await stat(file)).size;
  const text = await renderProfilesOffThread(data, opt.output === 'json' ? 'json' : 'yaml', size, {
    signal: work.signal,
    onProgress: (s) => work.progress.update(`printing ${file}: ${s} s`),
  });
  work.progress.done();
  process.stdout.write(text);
  return 0;
}

/**
 * Edits the file's own contents (no backends: their secrets must not be baked into the file). The real file
 * (through symlinks) is locked for the whole edit, so a second `acct edit` is refused rather than one edit lost;
 * a change made meanwhile by something that does not lock (Python acct, cp) is detected before writing.
 */
async function editCommand(hub: Hub, opt: Dynamic): Promise<number> {
  const file = acctFileOf(opt, 'edit');
  const real = await realTarget(file);
  const output = opt.output_file === undefined ? undefined : await realTarget(String(opt.output_file));
  // the output of `edit --output-file` is as much at risk as the file itself: both are locked (in one order, so two
  // edits crossing the same pair of files cannot deadlock) and the output is checked for changes before writing
  const files = [...new Set([real, output].filter((f): f is string => f !== undefined))].sort();
  const held: HeldLock[] = [];
  try {
    for (const f of files) held.push(await lockAcctFile(f));
    return await edit(hub, opt, file, real, output, () => held.forEach((h) => h.check()));
  } finally {
    for (const h of held.reverse()) await h.release();
  }
}

async function edit(hub: Hub, opt: Dynamic, file: string, real: string, output: string | undefined, stillLocked: () => void): Promise<number> {
  const cryptoPlugin: string = opt.crypto_plugin;
  const original = await contents(real);
  const isNew = original === undefined;
  let key = await acctKeyOf(opt, { forFile: file, prompt: !isNew });
  if (!isNew && key === undefined) throw usage(AcctKeyMissingError, `acct edit: no key for ${file} (set ACCT_KEY or pass --acct-key-file)`);
  const before = isNew ? NEW_FILE : renderProfiles(await hub.acct.init.decryptFile(real, key, { cryptoPlugin }), 'yaml');
  const generated = key === undefined;
  if (generated) key = await hub.acct.init.generateKey(cryptoPlugin);
  else if (isNew) await hub.acct.init.encrypt({}, key, cryptoPlugin); // a malformed key fails now, not after the edit
  if (output) await checkOutput(hub, output, key as string, opt);
  const outputBefore = output ? await contents(output) : undefined;

  // only edit runs an editor: child_process and the temp-file handling are not for every `acct` start to load
  const { DEV_SHM, askToEditAgain, editInEditor } = await import('../acct/_edit-in-editor.ts');
  // a YAML typo must not cost the user their edits: at a terminal, offer to reopen the editor on the same text
  const after = await editInEditor(before, {
    editor: opt.editor,
    places: [DEV_SHM, dirname(real)],
    label: `the edited text of ${file}`,
    validate: (text) => void parseAcctYaml(text, `${file} (edited)`),
    editAgain: process.stdin.isTTY ? askToEditAgain : undefined,
  }).catch((err: unknown) => {
    if (!(TspopError.is(err) && (err.code === 'TSPOP_ERR_ACCT_YAML' || err.code === 'TSPOP_ERR_ACCT_NOT_UTF8'))) throw err;
    const cls = err.constructor as TspopErrorClass;
    throw new cls(`${err.message}; ${file} was not changed`, { cause: err });
  });
  if (after === before && !isNew && !output) return 0; // nothing changed: leave the file as it was
  let data;
  try {
    data = parseAcctYaml(after, `${file} (edited)`);
  } catch (err) {
    const cls = (TspopError.is(err) ? err.constructor : AcctOptionsError) as TspopErrorClass;
    throw new cls(`${(err as Error).message}; ${file} was not changed`, { cause: err });
  }
  if (output) await refuseIfChanged(hub, String(opt.output_file), output, outputBefore, data, key as string, cryptoPlugin);
  else await refuseIfChanged(hub, file, real, original, data, key as string, cryptoPlugin);
  stillLocked();
  await hub.acct.init.writeFile(output ?? real, data, key as string, { cryptoPlugin });
  if (generated) process.stdout.write(`${key}\n`);
  return 0;
}

/** `--output-file` of edit: the same rule as encrypt's output (opens with the key, or --force). */
async function checkOutput(hub: Hub, output: string, key: string, opt: Dynamic): Promise<void> {
  await overwriteTarget(output, key, opt.force === true, (f, k) => hub.acct.init.decryptFile(f, k, { cryptoPlugin: opt.crypto_plugin }));
}

/**
 * The file changed on disk during the edit: writing now would throw that change away. The edit is kept,
 * encrypted with the same key, beside the file, and the user decides.
 */
async function refuseIfChanged(hub: Hub, file: string, real: string, original: Buffer | undefined, data: unknown, key: string, cryptoPlugin: string): Promise<void> {
  const now = await contents(real);
  const same = original === undefined ? now === undefined : now !== undefined && now.equals(original);
  if (same) return;
  const keep = `${real}.edit-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await hub.acct.init.writeFile(keep, data, key, { cryptoPlugin });
  throw new AcctConflictError(`${file} was changed by another program while you edited it; it was not overwritten: your edit is in ${keep} (same key)`);
}

/** The file's bytes; undefined when it does not exist. */
async function contents(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // anything else (no permission...): let decryptFile report it with its coded error
    return Buffer.alloc(0);
  }
}

function acctFileOf(opt: Dynamic, command: string): string {
  const file = opt.input_file ?? opt.acct_file;
  if (!file) throw usage(AcctOptionsError, `acct ${command}: missing FILE (or --acct-file / ACCT_FILE)`);
  return file;
}

/** A usage problem: exit code 2, as for bad flags. */
function usage(cls: TspopErrorClass, message: string): TspopError {
  const err = new cls(message);
  Object.defineProperty(err, 'exitCode', { value: 2, enumerable: true });
  return err;
}
