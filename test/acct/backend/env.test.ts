import { afterEach, describe, expect, it } from 'vitest';
import { AcctBackendError } from '../../../acct/_errors.ts';
import { unlock } from '../../../acct/backend/env.ts';
import { caught } from '../../helpers/fixtures.ts';
import { acctHub } from '../helpers.ts';

const hub = { log: { debug() {}, info() {}, warn() {}, error() {} } } as never;
const set: string[] = [];

function env(vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) {
    process.env[k] = v;
    set.push(k);
  }
}

afterEach(() => {
  for (const k of set.splice(0)) delete process.env[k];
});

describe('env backend', () => {
  it('builds provider -> profile -> fields from ACCT__ variables, nesting extra parts', () => {
    env({
      ACCT__AMQP__DEFAULT__URL: 'amqp://u:p@h/',
      ACCT__AMQP__DEFAULT__SSL__CA: '/ca.pem',
      ACCT__AMQP__BACKUP__URL: 'amqp://b/',
      ACCT__HTTP__DEFAULT__TOKEN_VALUE: 't',
      ACCT__TOO__SHORT: 'ignored',
      ACCT__A____B__C: 'empty part: ignored',
      ACCT_FILE_LIKE__X__Y__Z: 'other prefix',
    });
    expect(unlock(hub)).toEqual({
      amqp: { default: { url: 'amqp://u:p@h/', ssl: { ca: '/ca.pem' } }, backup: { url: 'amqp://b/' } },
      http: { default: { token_value: 't' } },
    });
  });

  it('takes prefix, separator, lowercase and json options', () => {
    env({ MYAPP_Svc_Prod_Port: '5672', MYAPP_Svc_Prod_Tags: '["a","b"]' });
    expect(unlock(hub, { prefix: 'MYAPP', separator: '_', lowercase: false, json: true })).toEqual({
      Svc: { Prod: { Port: 5672, Tags: ['a', 'b'] } },
    });
  });

  it('rejects bad JSON, clashing variables and bad options without showing values', () => {
    env({ JS__A__B__C: '{not json: s3cret' });
    const bad = caught(() => unlock(hub, { prefix: 'JS', json: true }));
    expect(bad).toBeInstanceOf(AcctBackendError);
    expect(bad.message).toContain('JS__A__B__C');
    expect(bad.message).not.toContain('s3cret');
    env({ CL__A__B__C: 'v1', CL__A__B__C__D: 'v2' });
    expect(caught(() => unlock(hub, { prefix: 'CL' })).message).toMatch(/CL__A__B__C.*same profile field/);
    expect(caught(() => unlock(hub, { prefx: 'X' }))).toBeInstanceOf(AcctBackendError);
    expect(caught(() => unlock(hub, { prefix: '' }))).toBeInstanceOf(AcctBackendError);
    expect(caught(() => unlock(hub, { lowercase: 'no' }))).toBeInstanceOf(AcctBackendError);
  });

  it('never turns ACCT_FILE / ACCT_KEY into profiles, and ignores __proto__ parts', () => {
    env({ ACCT_KEY: 'k', ACCT_FILE: 'f', 'PP.__proto__.a.b': 'p', 'PP.x.__proto__.b': 'p' });
    expect(unlock(hub)).toEqual({});
    expect(unlock(hub, { prefix: 'PP', separator: '.' })).toEqual({});
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('runs from the acct-backends section of acct data', async () => {
    env({ ACCT__SVC__DEFAULT__PASSWORD: 'from-env' });
    const { hub: real } = await acctHub();
    const out = await real.acct.init.backends({ svc: { default: { user: 'u', password: 'old' } }, 'acct-backends': { env: { e: {} } } });
    expect(out).toEqual({ svc: { default: { password: 'from-env' } } });
    await real.close();
  });
});
