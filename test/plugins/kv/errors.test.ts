import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tspop from '../../../src/index.ts';
import { TspopError, errorCodes, type TspopErrorClass } from '../../../src/errors.ts';

const KV = fileURLToPath(new URL('../../../plugins/kv/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && e.name !== '_errors.ts' ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('kv error codes', () => {
  it('pins the kv codes', () => {
    expect(errorCodes().filter((c) => c.includes('_KV_'))).toEqual([
      'TSPOP_ERR_KV_BACKEND',
      'TSPOP_ERR_KV_CLOSED',
      'TSPOP_ERR_KV_FORMAT',
      'TSPOP_ERR_KV_OPTIONS',
      'TSPOP_ERR_KV_UNREACHABLE',
    ]);
  });

  it('every kv code is exported from the package root and thrown somewhere under plugins/kv', () => {
    const code = sources(KV).join('\n');
    const classes = Object.entries(tspop)
      .filter((e): e is [string, TspopErrorClass] => typeof e[1] === 'function' && e[1].prototype instanceof TspopError)
      .filter(([, cls]) => cls.code.includes('_KV_'));
    expect(classes.map(([, c]) => c.code).sort()).toEqual(errorCodes().filter((c) => c.includes('_KV_')));
    const unused = classes.filter(([name]) => !new RegExp(`new ${name}\\b`).test(code));
    expect(unused.map(([name]) => name)).toEqual([]);
  });
});
