import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/write-file-atomic.ts';
import { AcctFileWriteError } from '../../acct/_errors.ts';
import { rejected } from '../helpers/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tspop-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates the file with mode 0600 whatever the umask, leaving no temp file', async () => {
    const old = process.umask(0o000);
    try {
      await writeFileAtomic(join(dir, 'a'), 'hello', AcctFileWriteError);
    } finally {
      process.umask(old);
    }
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('hello');
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('replaces an existing file (and its looser mode) in one step', async () => {
    const path = join(dir, 'b');
    writeFileSync(path, 'old contents that are longer');
    chmodSync(path, 0o644);
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]), AcctFileWriteError);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces a symlink instead of writing through it', async () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(dir, 'link'));
    await writeFileAtomic(join(dir, 'link'), 'new', AcctFileWriteError);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'link'), 'utf8')).toBe('new');
  });

  it('fails with AcctFileWriteError, leaving the old file and no temp file', async () => {
    const missing = await rejected(writeFileAtomic(join(dir, 'no-such-dir', 'c'), 'x', AcctFileWriteError));
    expect(missing).toBeInstanceOf(AcctFileWriteError);
    expect(missing.message).toContain('ENOENT');
    // the target is a folder: the rename fails after the temp file was written
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'inside'), 'x');
    expect(await rejected(writeFileAtomic(folder, 'x', AcctFileWriteError))).toBeInstanceOf(AcctFileWriteError);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(folder, 'inside'), 'utf8')).toBe('x');
  });
});
