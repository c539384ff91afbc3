import { describe, expect, it } from 'vitest';
import { AcctBackendError } from '../../acct/_errors.ts';
import { allowedBy } from '../../acct/_backends.ts';
import { rejected } from '../helpers/fixtures.ts';
import { acctHub, logText } from './helpers.ts';

const section = (backends: Record<string, unknown>) => ({ svc: { default: { a: 1 } }, 'acct-backends': backends });

describe('acct-backends', () => {
  it('merges backend profiles over the file in file order (later backends win)', async () => {
    const { hub } = await acctHub();
    const out = await hub.acct.init.backends(section({
      explode: {
        one: { result: { svc: { default: { a: 2, b: 1 } }, x: { p: { v: 1 } } } },
        two: { result: { x: { p: { v: 2 } } } },
      },
    }));
    expect(out).toEqual({ svc: { default: { a: 2, b: 1 } }, x: { p: { v: 2 } } });
    await hub.close();
  });

  it('runs only allowed backend profiles when an allow-list is given (by name, backend or backend.profile)', async () => {
    const { hub, log } = await acctHub();
    const data = section({ explode: { one: { result: { a: { one: {} } } }, two: { result: { a: { two: {} } } } } });
    expect(await hub.acct.init.backends(data, { allowedBackendProfiles: ['two'] })).toEqual({ a: { two: {} } });
    expect(await hub.acct.init.backends(data, { allowedBackendProfiles: ['explode.one'] })).toEqual({ a: { one: {} } });
    expect(await hub.acct.init.backends(data, { allowedBackendProfiles: ['explode'] })).toEqual({ a: { one: {}, two: {} } });
    expect(await hub.acct.init.backends(data, { allowedBackendProfiles: ['other'] })).toEqual({});
    expect(log.records.some((r) => r.level === 'info' && r.msg.includes('explode.one is not in allowed_backend_profiles'))).toBe(true);
    expect(allowedBy([], 'env', 'x')).toBe(true);
    await hub.close();
  });

  it('reads the allow-list from hub.OPT.acct.allowed_backend_profiles', async () => {
    const { hub } = await acctHub();
    await hub.pop.config.load(['acct'], { env: {} });
    expect(hub.OPT.acct.allowed_backend_profiles).toEqual([]);
    const data = section({ explode: { one: { result: { a: { one: {} } } } } });
    expect(await hub.acct.init.backends(data)).toEqual({ a: { one: {} } });
    await hub.close();
  });

  it('logs failures (unknown backend, throwing backend, bad result) and goes on, masking URL passwords', async () => {
    const { hub, log } = await acctHub();
    const out = await hub.acct.init.backends(section({
      vault: { main: {} },
      explode: { boom: { fail: true }, list: { result: [1] }, flat: { result: { svc: 'x' } }, ok: { result: { ok: { p: {} } } } },
      env: 'not a mapping',
    }));
    expect(out).toEqual({ ok: { p: {} } });
    const errors = log.records.filter((r) => r.level === 'error').map((r) => r.msg);
    expect(errors).toEqual([
      expect.stringMatching(/^acct backend "vault" is not available \(known: .*env.*explode.*file/),
      'acct backend explode.boom failed: vault unreachable at https://admin:***@vault.example/',
      expect.stringMatching(/^acct backend explode\.list failed: it returned a list/),
      expect.stringMatching(/^acct backend explode\.flat failed: it returned a string for provider "svc"/),
      expect.stringMatching(/^acct backend "env" must map backend profile names to options/),
    ]);
    expect(logText(log)).not.toContain('hunter2');
    await hub.close();
  });

  it('hardFail throws the first failure as AcctBackendError', async () => {
    const { hub } = await acctHub();
    const err = await rejected(hub.acct.init.backends(section({ explode: { boom: { fail: true } } }), { hardFail: true }));
    expect(err).toBeInstanceOf(AcctBackendError);
    expect(err.message).toContain('explode.boom');
    expect(err.message).not.toContain('hunter2');
    await hub.close();
  });

  it('drops nested backend sections and defaults that a backend returns', async () => {
    const { hub, log } = await acctHub();
    const out = await hub.acct.init.backends(section({
      explode: { nest: { result: { 'acct-backends': { explode: { again: {} } }, default: { x: {} }, real: { p: {} } } } },
    }));
    expect(out).toEqual({ real: { p: {} } });
    expect(log.records.filter((r) => r.level === 'warn')).toHaveLength(2);
    await hub.close();
  });
});
