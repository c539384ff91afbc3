/** The file backend: a YAML/JSON file as the store, reloaded on change, the last good config kept through a bad save. */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KVStore, KvFormatError } from '../../../src/index.ts';
import { TSPOP_ROOT, watchedStore } from '../../helpers/kv.ts';
import { waitFor } from '../../helpers/wait-for.ts';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tspop-kv-file-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('kv file backend', () => {
  it('the file mapping is the key tree; a prefix selects a section; a save reloads', async () => {
    const file = configFile('svc:\n  rabbit:\n    host: r1\n    port: 5672\n  exchange_configs: [{ name: ex }]\nother: { x: 1 }\n');
    const s = await watchedStore({ backend: 'file', file, kvPrefix: 'svc' });

    expect(await s.kv.getDict()).toEqual({ rabbit: { host: 'r1', port: '5672' }, exchange_configs: [{ name: 'ex' }] });
    // editors save by writing a new file and renaming it over the old one
    writeFileSync(`${file}.tmp`, 'svc:\n  rabbit:\n    host: r2\n    port: 5672\n  exchange_configs: [{ name: ex }]\n');
    renameSync(`${file}.tmp`, file);
    const r = await s.reloadWhere((c) => (c.rabbit as { host: string }).host === 'r2', 'the saved change');
    expect(r.old).toMatchObject({ rabbit: { host: 'r1' } });
    await s.kv.close();
  });

  it('an empty or broken save keeps the last good config (logged once) until a good one follows', async () => {
    const file = configFile('a: 1\n');
    const s = await watchedStore({ backend: 'file', file });

    writeFileSync(file, '');
    writeFileSync(file, 'a: [unclosed\n');
    await waitFor(() => s.logged('kv: the store is unreachable').length > 0, 'the bad save to be noticed');
    expect(await s.kv.get('a')).toBe('1');
    writeFileSync(file, 'a: 2\n');
    await s.reloadWhere((c) => c.a === '2', 'the good save');

    expect(s.logged('kv: the store is unreachable')).toHaveLength(1);
    expect(s.reloads.every((r) => r.current.a !== undefined)).toBe(true);
    await s.kv.close();
  });

  it('a file that is not a mapping is TSPOP_ERR_KV_FORMAT at the first load', async () => {
    const kv = new KVStore({ backend: 'file', file: configFile('- just\n- a list\n'), root: TSPOP_ROOT, env: {} });
    await expect(kv.ready()).rejects.toBeInstanceOf(KvFormatError);
  });
});
