import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { resolveSubOptions } from '../../src/sub-options.ts';
import { SubOptionsError } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

const root = fixture('tree');

describe('resolveSubOptions', () => {
  it('fills in pop’s defaults', () => {
    expect(resolveSubOptions({ staticDir: 'plugins' }, root)).toEqual({
      dyneName: undefined,
      staticDirs: [join(root, 'plugins')],
      subname: 'plugins',
      parent: undefined,
      virtual: true,
      omitStart: '_',
      omitEnd: '',
      omitFunc: false,
      init: true,
      stopOnFailures: false,
      contractsDirs: [],
      lazy: false,
      loadTimeoutMs: 30_000,
    });
  });

  it('names the sub after the dyne, else the first folder', () => {
    expect(resolveSubOptions({ dyneName: 'widgets' }, root).subname).toBe('widgets');
    expect(resolveSubOptions({ dyneName: 'widgets', staticDir: 'extra' }, root).subname).toBe('widgets');
    expect(resolveSubOptions({ staticDir: ['extra', 'plugins'] }, root).subname).toBe('extra');
  });

  it('resolves folders against the root; absolute ones are kept', () => {
    const abs = join(root, 'extra');

    expect(resolveSubOptions({ staticDir: ['plugins', abs], contractsDir: 'plugins/a' }, root)).toMatchObject({
      staticDirs: [join(root, 'plugins'), abs],
      contractsDirs: [join(root, 'plugins', 'a')],
    });
  });

  it.each([
    ['not an object', null],
    ['an unknown option', { staticDir: 'plugins', recurse: true }],
    ['no folders and no dyne', {}],
    ['a folder that does not exist', { staticDir: 'missing' }],
    ['a file instead of a folder', { staticDir: 'plugins/top.ts', subname: 'top' }],
    ['an empty folder name', { staticDir: [''] }],
    ['a subname that is not an identifier', { staticDir: 'plugins', subname: '1st' }],
    ['`sub` that is not a sub', { staticDir: 'plugins', sub: {} }],
    ['a non-boolean flag', { staticDir: 'plugins', virtual: 'no' }],
    ['a non-string omitStart', { staticDir: 'plugins', omitStart: false }],
    ['a non-positive loadTimeoutMs', { staticDir: 'plugins', loadTimeoutMs: 0 }],
  ])('rejects %s with TSPOP_ERR_SUB_OPTIONS', (_what, options) => {
    expect(() => resolveSubOptions(options, root)).toThrow(SubOptionsError);
  });
});
