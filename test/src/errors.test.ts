import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import * as tspop from '../../src/index.ts';
import { TspopError, defineError, describeError, errorCodes, type TspopErrorClass } from '../../src/errors.ts';

/** acct, evbus and kv pin their own codes in their own tests. */
const isCore = (code: string) => !/_(ACCT|EVBUS|KV)_/.test(code);

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every exported error class, by export name. */
const classes = Object.entries(tspop).filter(
  (entry): entry is [string, TspopErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof TspopError,
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the error registry', () => {
  it('pins the core error codes', () => {
    expect(errorCodes().filter(isCore)).toEqual([
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
      'TSPOP_ERR_HUB_CLOSED',
      'TSPOP_ERR_HUB_OPTIONS',
      'TSPOP_ERR_HUB_READONLY',
      'TSPOP_ERR_MOD_INIT',
      'TSPOP_ERR_MOD_INTERFACE',
      'TSPOP_ERR_MOD_LOAD',
      'TSPOP_ERR_MOD_NOT_LOADED',
      'TSPOP_ERR_MOD_RESERVED_NAME',
      'TSPOP_ERR_MOD_VIRTUAL',
      'TSPOP_ERR_MOD_VIRTUAL_CLASH',
      'TSPOP_ERR_REF_NOT_FOUND',
      'TSPOP_ERR_SUB_EXISTS',
      'TSPOP_ERR_SUB_LOAD_FAILED',
      'TSPOP_ERR_SUB_NOT_FOUND',
      'TSPOP_ERR_SUB_NO_DIRS',
      'TSPOP_ERR_SUB_OPTIONS',
    ]);
  });

  it('every code starts with TSPOP_ERR_ and is sorted', () => {
    const codes = errorCodes();

    expect(codes.filter((c) => !c.startsWith('TSPOP_ERR_'))).toEqual([]);
    expect([...codes].sort()).toEqual(codes);
  });

  it('every code has an exported class whose static code matches its instances’ code', () => {
    const exported = new Map(classes.map(([, cls]) => [cls.code, cls]));

    for (const code of errorCodes()) {
      const cls = exported.get(code);
      expect(cls, code).toBeDefined();
      const err = new (cls as TspopErrorClass)('message');
      expect(err.code).toBe(code);
      expect(err).toBeInstanceOf(TspopError);
      expect(err).toBeInstanceOf(Error);
    }
  });

  it('every core code is thrown somewhere in src/', () => {
    const sources = sourceFiles(SRC)
      .filter((f) => !f.endsWith('errors.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');

    const unused = classes.filter(([name, cls]) => isCore(cls.code) && !new RegExp(`\\b${name}\\b`).test(sources));

    expect(unused.map(([name]) => name)).toEqual([]);
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
