/**
 * Opens the store: the named backend, or without one Consul (when a Consul host is set) and then etcd, and takes
 * the first read. The first backend whose read answers within connectTimeoutMs wins; when none does, one coded
 * error names every address tried and why it failed.
 */
import type { Dynamic, Hub } from '../../../src/index.ts';
import { TspopError, describeError } from '../../../src/errors.ts';
import { withTimeout } from '../../../src/with-timeout.ts';
import { KvBackendError, KvFormatError, KvOptionsError, KvUnreachableError } from '../_errors.ts';
import type { KvBackendPlugin, KvConnection, KvEntries, KvResolvedOptions } from './types.ts';

/** Errors that answer the question for good: trying the next store would hide them. */
const DEFINITE = new Set([KvFormatError.code, KvBackendError.code, KvOptionsError.code]);

export interface Connected {
  readonly backend: string;
  readonly address: string;
  readonly connection: KvConnection;
  readonly entries: KvEntries;
}

/** The backend plugin `name` of hub.kv, checked for the backend interface. */
export function backendPlugin(hub: Hub, name: string): KvBackendPlugin {
  const sub = hub.kv;
  let mod: Dynamic;
  try {
    mod = name === 'init' ? undefined : sub?.[name];
  } catch (cause) {
    throw new KvBackendError(`kv backend "${name}" failed to load: ${describeError(cause)}`, { cause });
  }
  if (mod === undefined) {
    throw new KvBackendError(`no kv backend "${name}" (loaded: ${backendNames(hub).join(', ') || 'none'}); drop ${name}.ts into a kv dyne folder`);
  }
  if (typeof mod.open !== 'function') throw new KvBackendError(`kv backend "${name}" must export open(hub, options) returning a connection`);
  return mod as KvBackendPlugin;
}

export function backendNames(hub: Hub): string[] {
  if (!hub.kv) return [];
  return [...hub.kv].map((m: { name: string }) => m.name).filter((n: string) => n !== 'init');
}

/** Which backends to try, in order. */
export function candidates(options: KvResolvedOptions): string[] {
  if (options.backend) return [options.backend];
  return options.consulHost ? ['consul', 'etcd'] : ['etcd'];
}

export async function connect(hub: Hub, options: KvResolvedOptions): Promise<Connected> {
  const tried: string[] = [];
  let lastCause: unknown;
  for (const backend of candidates(options)) {
    const plugin = backendPlugin(hub, backend);
    const address = plugin.describe?.(options) ?? backend;
    let connection: KvConnection | undefined;
    try {
      connection = await plugin.open(options);
      const entries = await withTimeout(connection.read(), options.connectTimeoutMs, `reading ${address}`, (m) => new Error(m));
      if (tried.length > 0) hub.log.warn(`kv: using ${address}; ${tried.join('; ')}`);
      return { backend, address, connection, entries };
    } catch (err) {
      await connection?.close().catch(() => undefined);
      // a definite answer (the file is not a mapping, the plugin is broken) is not a reason to try the next store
      if (TspopError.is(err) && DEFINITE.has(err.code)) throw err;
      tried.push(`${address}: ${describeError(err)}`);
      lastCause = err;
    }
  }
  throw new KvUnreachableError(`no kv store answered: ${tried.join('; ')}`, { cause: lastCause });
}
