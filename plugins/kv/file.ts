/**
 * hub.kv.file — a YAML or JSON file (option `file`) as the store, reloaded when it changes: the embedded default
 * for development. Its mapping is the key tree, so `kvPrefix` selects a section as it would a folder in etcd.
 */
import { resolve } from 'node:path';
import type { Hub } from '../../src/index.ts';
import { KvOptionsError } from './_errors.ts';
import { FileConnection } from './_lib/file-connection.ts';
import type { KvConnection, KvResolvedOptions } from './_lib/types.ts';

export function open(hub: Hub, options: KvResolvedOptions): KvConnection {
  if (!options.file) throw new KvOptionsError('the kv file backend needs the option "file" (a YAML or JSON file)');
  return new FileConnection(resolve(hub.root, options.file));
}

export function describe(hub: Hub, options: KvResolvedOptions): string {
  return `file ${options.file ? resolve(hub.root, options.file) : '(no "file" option)'}`;
}
