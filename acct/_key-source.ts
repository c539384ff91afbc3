/**
 * Where a CLI gets the acct key, most private first: `--acct-key-file FILE` / ACCT_KEY_FILE (the file's first
 * line), ACCT_KEY, a hidden prompt when a person is at a terminal, and last `--acct-key K`, which `ps` shows to
 * every user of the machine.
 */
import { readFile } from 'node:fs/promises';
import { AcctKeyMissingError, AcctOptionsError } from './_errors.ts';
import { plainText } from './_read-file.ts';
import type { Dynamic } from '../src/types.ts';
import { configError } from '../src/config/config-error.ts';

export interface KeyNeed {
  /** What the key is for, in the prompt: `Key for creds.yml.fernet: `. */
  readonly forFile: string;
  /** Prompt at a terminal when no key was given (decrypt, edit of an existing file); else undefined comes back. */
  readonly prompt: boolean;
}

/** The key from `opt` (hub.OPT.acct), or from a prompt; undefined when none was given and none may be asked for. */
export async function acctKeyOf(opt: Dynamic, need: KeyNeed): Promise<string | undefined> {
  const key: unknown = opt.acct_key;
  const keyFile: unknown = opt.acct_key_file;
  if (key && keyFile) throw usage('give the acct key one way: --acct-key / ACCT_KEY or --acct-key-file / ACCT_KEY_FILE, not both');
  if (typeof keyFile === 'string' && keyFile !== '') return readKeyFile(keyFile);
  if (typeof key === 'string' && key !== '') return key;
  if (need.prompt && process.stdin.isTTY && process.stderr.isTTY) return promptKey(`Key for ${need.forFile}: `);
  return undefined;
}

async function readKeyFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw usage(`cannot read the acct key file ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`, cause);
  }
  const key = plainText(bytes, `acct key file ${file}`).split(/\r?\n/)[0]?.trim() ?? '';
  if (key === '') throw usage(`the acct key file ${file} is empty`, undefined, AcctKeyMissingError);
  return key;
}

/** Reads one line from the terminal without echoing it. Ctrl-C ends the process as it would at any prompt. */
function promptKey(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let key = '';
    const wasRaw = stdin.isRaw;
    // echo off before the question shows: a key typed (or pasted) the moment it appears must not be echoed
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      resolve(key.trim());
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') {
          stdin.setRawMode(wasRaw);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') key = key.slice(0, -1);
        else key += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A usage problem (exit 2), as for a bad flag. */
function usage(message: string, cause?: unknown, cls = AcctOptionsError): Error {
  return configError(cls, message, cause);
}
