/**
 * acct backend `file`: the profiles of another acct file (shared team credentials, say).
 *
 *   acct-backends:
 *     file:
 *       shared:
 *         acct_file: shared.yml.fernet   # relative paths: from the folder of the acct file naming it
 *         acct_key: <key>                # or acct_key_env: SHARED_ACCT_KEY (read from the environment)
 *         crypto_plugin: fernet          # optional
 *
 * The other file's `default` and backend section are dropped: backends do not nest, so files cannot loop.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { AcctBackendError, AcctKeyMissingError } from '../_errors.ts';
import type { Hub } from '../../src/types.ts';
import type { BackendContext } from '../_backends.ts';
import { kindOf, splitData, type Profiles } from '../_file-format.ts';

const OPTIONS = new Set(['acct_file', 'acct_key', 'acct_key_env', 'crypto_plugin']);

export async function unlock(hub: Hub, options: Record<string, unknown> = {}, ctx?: BackendContext): Promise<Profiles> {
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new AcctBackendError(`file backend: unknown option "${key}" (known: ${[...OPTIONS].join(', ')})`);
  }
  const given = text(options.acct_file, 'acct_file');
  if (given === undefined) throw new AcctBackendError('file backend: option "acct_file" is required');
  const base = ctx?.acctFile ? dirname(resolve(ctx.acctFile)) : process.cwd();
  const acctFile = isAbsolute(given) ? given : resolve(base, given);
  const keyEnv = text(options.acct_key_env, 'acct_key_env');
  const acctKey = text(options.acct_key, 'acct_key') ?? (keyEnv === undefined ? undefined : process.env[keyEnv]);
  if (acctKey === undefined || acctKey === '') {
    const hint = keyEnv === undefined ? 'set acct_key or acct_key_env' : `environment variable ${keyEnv} is not set`;
    throw new AcctKeyMissingError(`file backend: no key for ${acctFile} (${hint})`);
  }
  const data = await hub.acct.init.decryptFile(acctFile, acctKey, { cryptoPlugin: text(options.crypto_plugin, 'crypto_plugin') });
  const split = splitData(data);
  if (split.backends !== undefined) hub.log.warn(`file backend: the backend section of ${acctFile} is ignored (backends do not nest)`);
  return split.profiles;
}

function text(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new AcctBackendError(`file backend: option "${key}" must be a non-empty string, not ${kindOf(value)}`);
  return value;
}
