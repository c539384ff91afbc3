import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../src/config/read-config-file.ts';
import { ConfigFileError } from '../../../src/errors.ts';
import { caught } from '../../helpers/fixtures.ts';
import { secretDoc } from '../../helpers/yaml-secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'tspop-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `c${n++}.yml`);
  writeFileSync(path, content);
  return path;
}

describe('readConfigFile', () => {
  it('never quotes the file in its errors, whatever the secret and wherever it sits (property)', () => {
    fc.assert(
      fc.property(secretDoc, ({ core, text }) => {
        const path = file(text);
        try {
          readConfigFile(path);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigFileError);
          expect((err as Error).message).not.toContain(core);
          expect((err as Error).message).toContain(path);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fails on an unknown tag instead of reading the value as something else', () => {
    const path = file('acct:\n  acct_key: !Hunter2Secret\n');
    const err = caught(() => readConfigFile(path));
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err.message).toContain(`${path}:2:13`);
    expect(err.message).not.toContain('Hunter2');
  });

  it('fails on bytes that are not UTF-8, naming the byte offset', () => {
    const head = Buffer.from('acct:\n  acct_key: ab');
    const path = file(Buffer.concat([head, Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    const err = caught(() => readConfigFile(path));
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err.message).toContain(`offset ${head.length}`);
  });
});
