/**
 * acct backend `env`: profiles from environment variables, for deployments that inject secrets as env vars.
 *
 *   acct-backends:
 *     env:
 *       from_env: {}                  # or: { prefix: MYAPP, separator: __, lowercase: true, json: false }
 *
 *   ACCT__AMQP__DEFAULT__URL=amqp://...      ->  { amqp: { default: { url: 'amqp://...' } } }
 *   ACCT__AMQP__DEFAULT__SSL__CA=...         ->  { amqp: { default: { ssl: { ca: '...' } } } }
 *
 * `<prefix><sep><provider><sep><profile><sep><field>[<sep><field>...]`; names are lowercased unless
 * `lowercase: false`; values are strings, or JSON with `json: true`. Variables with fewer parts (ACCT_FILE,
 * ACCT_KEY) never match. Values are never logged or put in messages, only variable names.
 */
import { type TspopError } from '../../src/errors.ts';
import { AcctBackendError } from '../_errors.ts';
import type { Hub } from '../../src/types.ts';
import type { BackendContext } from '../_backends.ts';
import { isPlainObject, kindOf, type Profiles } from '../_file-format.ts';

const OPTIONS = new Set(['prefix', 'separator', 'lowercase', 'json']);

export function unlock(hub: Hub, options: Record<string, unknown> = {}, _ctx?: BackendContext): Profiles {
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new AcctBackendError(`env backend: unknown option "${key}" (known: ${[...OPTIONS].join(', ')})`);
  }
  const prefix = text(options.prefix, 'prefix', 'ACCT');
  const sep = text(options.separator, 'separator', '__');
  const lowercase = flag(options.lowercase, 'lowercase', true);
  const json = flag(options.json, 'json', false);
  const head = `${prefix}${sep}`;
  const out: Profiles = {};
  const owner = new Map<string, string>();
  for (const name of Object.keys(process.env).sort()) {
    if (!name.startsWith(head)) continue;
    const parts = name.slice(head.length).split(sep).map((p) => (lowercase ? p.toLowerCase() : p));
    if (parts.length < 3 || parts.includes('') || parts.includes('__proto__')) {
      hub.log.debug(`env backend: ${name} ignored (expected ${head}<PROVIDER>${sep}<PROFILE>${sep}<FIELD>)`);
      continue;
    }
    const raw = process.env[name] as string;
    let value: unknown = raw;
    if (json) {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new AcctBackendError(`env backend: ${name} is not valid JSON (json: true)`);
      }
    }
    place(out, parts, value, name, owner);
  }
  return out;
}

/** Sets `out[a][b]...[z] = value`; a path that is both a value and a parent of another is an error. */
function place(out: Profiles, path: string[], value: unknown, name: string, owner: Map<string, string>): void {
  let node: Record<string, unknown> = out;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (isPlainObject(next) && !owner.has(path.slice(0, i + 1).join('.'))) node = next;
    else throw clash(name, owner.get(path.slice(0, i + 1).join('.')));
  }
  const leaf = path.join('.');
  const last = path[path.length - 1] as string;
  if (node[last] !== undefined) throw clash(name, owner.get(leaf) ?? 'a longer variable');
  node[last] = value;
  owner.set(leaf, name);
}

function clash(name: string, other: string | undefined): TspopError {
  return new AcctBackendError(`env backend: ${name} and ${other ?? 'another variable'} set the same profile field`);
}

function text(value: unknown, key: string, dflt: string): string {
  if (value === undefined || value === null) return dflt;
  if (typeof value !== 'string' || value === '') throw new AcctBackendError(`env backend: option "${key}" must be a non-empty string, not ${kindOf(value)}`);
  return value;
}

function flag(value: unknown, key: string, dflt: boolean): boolean {
  if (value === undefined || value === null) return dflt;
  if (typeof value !== 'boolean') throw new AcctBackendError(`env backend: option "${key}" must be true or false, not ${kindOf(value)}`);
  return value;
}
