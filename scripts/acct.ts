/**
 * `acct` — Python acct's CLI: encrypt a YAML file of profiles, print an acct file's profiles, edit one in $EDITOR.
 *
 *   acct encrypt FILE [--acct-key K] [--output-file F]   writes F or FILE.fernet (0600, atomically); prints the key
 *                                                       (one line, nothing else) when it generated one
 *   acct decrypt FILE --acct-key K [--output yaml|json]  prints the profiles, backends included
 *   acct edit FILE --acct-key K [--editor E]             decrypt -> $EDITOR -> encrypt in place with the same key
 *
 * FILE defaults to --acct-file / ACCT_FILE for decrypt and edit. Errors are one line without the key.
 */
import { stat } from 'node:fs/promises';
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli } from '../src/cli/run-cli.ts';
import { askToEditAgain, editInEditor } from '../acct/_edit-in-editor.ts';
import { TspopError, type TspopErrorClass } from '../src/errors.ts';
import { AcctKeyMissingError, AcctOptionsError } from '../acct/_errors.ts';
import type { Dynamic, Hub } from '../src/types.ts';
import { parseAcctYaml, renderProfiles } from '../acct/_yaml.ts';

const NEW_FILE = `# acct profiles: provider -> profile name -> data, e.g.
# amqp:
#   default:
#     url: amqp://user:password@localhost:5672/
# default: default
`;

export default function main(argv = process.argv.slice(2)): Promise<number> {
  return runCli({
    name: 'acct',
    version: TSPOP_VERSION,
    config: ['acct'],
    argv,
    async main({ hub, subcommand }) {
      if (subcommand === undefined) {
        process.stderr.write('acct: missing command (try: acct encrypt FILE, acct decrypt FILE, acct edit FILE, acct --help)\n');
        return 2;
      }
      await hub.pop.sub.add({ dyneName: 'acct' });
      const opt: Dynamic = hub.OPT.acct;
      if (subcommand === 'encrypt') return encryptCommand(hub, opt);
      if (subcommand === 'decrypt') return decryptCommand(hub, opt);
      return editCommand(hub, opt);
    },
  });
}

async function encryptCommand(hub: Hub, opt: Dynamic): Promise<number> {
  if (!opt.input_file) throw usage(AcctOptionsError, 'acct encrypt: missing FILE (the plaintext YAML to encrypt)');
  const done = await hub.acct.init.encryptFile(opt.input_file, {
    acctKey: opt.acct_key || undefined,
    outputFile: opt.output_file,
    cryptoPlugin: opt.crypto_plugin,
  });
  if (done.generated) process.stdout.write(`${done.acctKey}\n`);
  return 0;
}

async function decryptCommand(hub: Hub, opt: Dynamic): Promise<number> {
  const file = acctFileOf(opt, 'decrypt');
  if (!opt.acct_key) throw usage(AcctKeyMissingError, `acct decrypt: no key for ${file} (pass --acct-key or set ACCT_KEY)`);
  const data = await hub.acct.init.profiles(file, opt.acct_key, {
    cryptoPlugin: opt.crypto_plugin,
    allowedBackendProfiles: opt.allowed_backend_profiles,
    hardFail: true,
  });
  process.stdout.write(renderProfiles(data, opt.output === 'json' ? 'json' : 'yaml'));
  return 0;
}

/** Edits the file's own contents (no backends: their secrets must not be baked into the file). */
async function editCommand(hub: Hub, opt: Dynamic): Promise<number> {
  const file = acctFileOf(opt, 'edit');
  const cryptoPlugin: string = opt.crypto_plugin;
  const isNew = !(await exists(file));
  let key: string | undefined = opt.acct_key || undefined;
  if (!isNew && key === undefined) throw usage(AcctKeyMissingError, `acct edit: no key for ${file} (pass --acct-key or set ACCT_KEY)`);
  const before = isNew ? NEW_FILE : renderProfiles(await hub.acct.init.decryptFile(file, key, { cryptoPlugin }), 'yaml');
  const generated = key === undefined;
  if (generated) key = await hub.acct.init.generateKey(cryptoPlugin);
  else if (isNew) await hub.acct.init.encrypt({}, key, cryptoPlugin); // a malformed key fails now, not after the edit

  // a YAML typo must not cost the user their edits: at a terminal, offer to reopen the editor on the same text
  const after = await editInEditor(before, {
    editor: opt.editor,
    validate: (text) => void parseAcctYaml(text, `${file} (edited)`),
    editAgain: process.stdin.isTTY ? askToEditAgain : undefined,
  }).catch((err: unknown) => {
    if (!(TspopError.is(err) && err.code === 'TSPOP_ERR_ACCT_YAML')) throw err;
    const cls = err.constructor as TspopErrorClass;
    throw new cls(`${err.message}; ${file} was not changed`, { cause: err });
  });
  if (after === before && !isNew && !opt.output_file) return 0; // nothing changed: leave the file as it was
  let data;
  try {
    data = parseAcctYaml(after, `${file} (edited)`);
  } catch (err) {
    const cls = (TspopError.is(err) ? err.constructor : AcctOptionsError) as TspopErrorClass;
    throw new cls(`${(err as Error).message}; ${file} was not changed`, { cause: err });
  }
  await hub.acct.init.writeFile(opt.output_file ?? file, data, key, { cryptoPlugin });
  if (generated) process.stdout.write(`${key}\n`);
  return 0;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    // anything else (no permission...): let decryptFile report it with its coded error
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
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
