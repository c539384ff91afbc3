import { describe, it, expect } from 'vitest';
import * as tspop from '../../src/index.ts';
import * as coreErrors from '../../src/errors.ts';
import * as acctErrors from '../../acct/_errors.ts';
import * as evbusErrors from '../../plugins/evbus/_errors.ts';
import * as kvErrors from '../../plugins/kv/_errors.ts';
import * as queueErrors from '../../plugins/queue/_errors.ts';
import * as amqpErrors from '../../plugins/amqp/_errors.ts';
import * as httpErrors from '../../plugins/http/_errors.ts';
import { TspopError, defineError, describeError, errorCodes, type TspopErrorClass } from '../../src/errors.ts';
import { codesOf, errorClasses, neverThrown } from '../helpers/error-registry.ts';

describe('the error registry', () => {
  it('pins the core error codes (src/errors.ts)', () => {
    expect(codesOf(coreErrors)).toEqual([
      'TSPOP_ERR_CONFIG_CHOICE',
      'TSPOP_ERR_CONFIG_DEFINITION',
      'TSPOP_ERR_CONFIG_FILE',
      'TSPOP_ERR_CONFIG_MISSING',
      'TSPOP_ERR_CONFIG_TYPE',
      'TSPOP_ERR_CONFIG_UNKNOWN_FLAG',
      'TSPOP_ERR_CONFIG_USAGE',
      'TSPOP_ERR_CONF_INVALID',
      'TSPOP_ERR_CONF_LOAD',
      'TSPOP_ERR_CONTRACT_CALL',
      'TSPOP_ERR_CONTRACT_LOAD',
      'TSPOP_ERR_CONTRACT_SIGNATURE',
      'TSPOP_ERR_HUB_CLOSED',
      'TSPOP_ERR_HUB_OPTIONS',
      'TSPOP_ERR_HUB_READONLY',
      'TSPOP_ERR_MOD_INIT',
      'TSPOP_ERR_MOD_INTERFACE',
      'TSPOP_ERR_MOD_LOAD',
      'TSPOP_ERR_MOD_NOT_LOADED',
      'TSPOP_ERR_MOD_RESERVED_NAME',
      'TSPOP_ERR_MOD_TRANSFORM',
      'TSPOP_ERR_MOD_VIRTUAL',
      'TSPOP_ERR_MOD_VIRTUAL_CLASH',
      'TSPOP_ERR_REF_NOT_FOUND',
      'TSPOP_ERR_SUB_EXISTS',
      'TSPOP_ERR_SUB_LOAD_FAILED',
      'TSPOP_ERR_SUB_NOT_FOUND',
      'TSPOP_ERR_SUB_NO_DIRS',
      'TSPOP_ERR_SUB_OPTIONS',
      'TSPOP_ERR_TYPES_INCOMPLETE',
      'TSPOP_ERR_TYPES_OVERWRITE',
      'TSPOP_ERR_TYPES_WRITE',
    ]);
  });

  it('holds exactly the codes of the registry modules (a new family adds its module here), each a TSPOP_ERR_ code', () => {
    const owned = [...codesOf(coreErrors), ...codesOf(acctErrors), ...codesOf(evbusErrors), ...codesOf(kvErrors), ...codesOf(amqpErrors), ...codesOf(httpErrors), ...codesOf(queueErrors)];

    expect(owned.filter((c) => !/^TSPOP_ERR_[A-Z]+(_[A-Z0-9]+)+$/.test(c))).toEqual([]);
    expect(errorCodes().filter((c) => !owned.includes(c))).toEqual([]);
    expect(owned.filter((c) => !errorCodes().includes(c))).toEqual([]);
  });

  it('the package root exports every family\'s classes, and their static code matches their instances\' code', () => {
    const exported = new Map(errorClasses(tspop).map(([, cls]) => [cls.code, cls]));

    for (const code of [...codesOf(coreErrors), ...codesOf(acctErrors), ...codesOf(evbusErrors), ...codesOf(kvErrors), ...codesOf(amqpErrors), ...codesOf(httpErrors), ...codesOf(queueErrors)]) {
      const cls = exported.get(code);
      expect(cls, code).toBeDefined();
      const err = new (cls as TspopErrorClass)('message');
      expect(err.code).toBe(code);
      expect(err).toBeInstanceOf(TspopError);
      expect(err).toBeInstanceOf(Error);
    }
  });

  it('every core code is thrown somewhere in src/', () => {
    expect(neverThrown(coreErrors, ['src'], 'src/errors.ts')).toEqual([]);
  });

  it('a code can be defined only once', () => {
    expect(() => defineError('TSPOP_ERR_HUB_OPTIONS')).toThrow(/defined twice/);
  });
});

describe('a tspop error', () => {
  it('keeps its cause and shows its code in its name', () => {
    const cause = new Error('disk full');

    const err = new tspop.ModLoadError('cannot load plugin /x.ts', { cause });

    expect(err.cause).toBe(cause);
    expect(err.name).toBe('TspopError [TSPOP_ERR_MOD_LOAD]');
    expect(String(err)).toBe('TspopError [TSPOP_ERR_MOD_LOAD]: cannot load plugin /x.ts');
  });

  it('TspopError.is() recognises tspop errors by brand, not by class identity', () => {
    const err = new tspop.SubExistsError('taken');
    const lookalike = Object.assign(new Error('x'), { code: 'TSPOP_ERR_SUB_EXISTS' });

    expect(TspopError.is(err)).toBe(true);
    expect(TspopError.is(lookalike)).toBe(false);
    expect(TspopError.is(null)).toBe(false);
  });

  it('describeError gives a one-line message for anything thrown', () => {
    expect(describeError(new tspop.RefNotFoundError('no such ref'))).toBe('no such ref');
    expect(describeError('plain string')).toBe('plain string');
    expect(describeError(42)).toBe('42');
  });
});

describe('describeError with redact', () => {
  it('masks a URL password holding "/" or "@", parsed rather than matched', () => {
    expect(describeError(new Error('connect amqp://user:hun/ter2@host:5672 failed'), { redact: true })).toBe('connect amqp://user:***@host:5672 failed');
    expect(describeError('amqp://u:p@ss@h', { redact: true })).toBe('amqp://u:***@h');
  });

  it('masks key-like runs, password pairs and the secrets it is given', () => {
    const key = 'x5s2QjE3aUq1bQ4cQ2l0eFZ0eTZ2b1ZtN1ZkQ0hJa3c=';

    expect(describeError(`bad key ${key}`, { redact: true })).not.toContain(key);
    expect(describeError('password: Hunter2Secret at line 3', { redact: true })).not.toContain('Hunter2Secret');
    expect(describeError('Unresolved alias Hunter2Secret', { redact: ['Hunter2Secret'] })).not.toContain('Hunter2Secret');
  });

  it('joins a multi-line message into one line', () => {
    expect(describeError(new Error('Transform failed with 1 error:\n/x.ts:1:2: ERROR: Unexpected "}"'))).toBe('Transform failed with 1 error: /x.ts:1:2: ERROR: Unexpected "}"');
  });
});
