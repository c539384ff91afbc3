import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AcctBackendError, AcctDecryptError, AcctKeyMissingError } from '../../../acct/_errors.ts';
import { rejected } from '../../helpers/fixtures.ts';
import { acctHub, tempDir } from '../helpers.ts';

const dir = tempDir();

afterEach(() => {
  delete process.env.SHARED_TEST_KEY;
});

describe('file backend', () => {
  it('merges another acct file, relative to the file that names it, and drops its default and backends', async () => {
    const { hub, log } = await acctHub();
    const sharedKey = await hub.acct.init.generateKey();
    const mainKey = await hub.acct.init.generateKey();
    await hub.acct.init.writeFile(join(dir, 'shared.fernet'), {
      team: { default: { token: 't' } },
      default: 'ignored',
      'acct-backends': { file: { loop: { acct_file: 'main.fernet', acct_key: mainKey } } },
    }, sharedKey);
    const main = join(dir, 'main.fernet');
    await hub.acct.init.writeFile(main, {
      own: { default: { a: 1 } },
      'acct-backends': { file: { shared: { acct_file: 'shared.fernet', acct_key: sharedKey } } },
    }, mainKey);
    await hub.acct.init.unlock(main, mainKey);
    expect(hub.acct.PROFILES).toEqual({ own: { default: { a: 1 } }, team: { default: { token: 't' } } });
    expect(hub.acct.DEFAULT).toBe('default');
    expect(log.records.some((r) => r.level === 'warn' && r.msg.includes('do not nest'))).toBe(true);
    await hub.close();
  });

  it('reads the key from acct_key_env', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    await hub.acct.init.writeFile(join(dir, 'envkey.fernet'), { x: { y: {} } }, key);
    process.env.SHARED_TEST_KEY = key;
    const out = await hub.acct.backend.file.unlock({ acct_file: join(dir, 'envkey.fernet'), acct_key_env: 'SHARED_TEST_KEY' });
    expect(out).toEqual({ x: { y: {} } });
    await hub.close();
  });

  it('fails with coded errors: no key, wrong key, unknown option, missing acct_file', async () => {
    const { hub } = await acctHub();
    const key = await hub.acct.init.generateKey();
    await hub.acct.init.writeFile(join(dir, 'k.fernet'), {}, key);
    const file = hub.acct.backend.file;
    expect(await rejected(file.unlock({ acct_file: join(dir, 'k.fernet') }))).toBeInstanceOf(AcctKeyMissingError);
    expect(await rejected(file.unlock({ acct_file: join(dir, 'k.fernet'), acct_key_env: 'SHARED_TEST_KEY' }))).toBeInstanceOf(AcctKeyMissingError);
    const wrong = await rejected(file.unlock({ acct_file: join(dir, 'k.fernet'), acct_key: await hub.acct.init.generateKey() }));
    expect(wrong).toBeInstanceOf(AcctDecryptError);
    expect(await rejected(file.unlock({ acct_file: 'x', acct_key: key, path: 'y' }))).toBeInstanceOf(AcctBackendError);
    expect(await rejected(file.unlock({ acct_key: key }))).toBeInstanceOf(AcctBackendError);
    await hub.close();
  });
});
