/**
 * Broker credentials as dripline reads them: an `auth_file` (JSON or YAML) with a `dripline` group (dripline-cpp
 * 2.x) or an `amqp` group (dripline-python and the seed) holding username and password; else DRIPLINE_USER /
 * DRIPLINE_PASSWORD; else guest/guest. The password never appears in a message.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DriplineConfigError } from '../_errors.ts';

export interface BrokerAuth {
  readonly username: string;
  readonly password: string;
}

export function readAuth(file: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): BrokerAuth {
  const fromEnv = { username: env.DRIPLINE_USER ?? 'guest', password: env.DRIPLINE_PASSWORD ?? 'guest' };
  if (!file) return fromEnv;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not valid JSON or YAML';
    throw new DriplineConfigError(`cannot read auth_file ${file}: ${why}`, { cause: err });
  }
  const groups = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const group = (groups.dripline ?? groups.amqp) as Record<string, unknown> | undefined;
  if (!group || typeof group !== 'object') throw new DriplineConfigError(`auth_file ${file} has no "dripline" (or "amqp") group with username and password`);
  const username = typeof group.username === 'string' ? group.username : fromEnv.username;
  const password = typeof group.password === 'string' ? group.password : fromEnv.password;
  return { username, password };
}
