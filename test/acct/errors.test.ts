import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tspop from '../../src/index.ts';
import { errorCodes, TspopError, type TspopErrorClass } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('acct error codes', () => {
  it('are pinned', () => {
    expect(errorCodes().filter((c) => c.includes('_ACCT_'))).toEqual([
      'TSPOP_ERR_ACCT_BACKEND',
      'TSPOP_ERR_ACCT_DECRYPT',
      'TSPOP_ERR_ACCT_EDITOR',
      'TSPOP_ERR_ACCT_FILE_NOT_FOUND',
      'TSPOP_ERR_ACCT_FILE_READ',
      'TSPOP_ERR_ACCT_FILE_WRITE',
      'TSPOP_ERR_ACCT_FORMAT',
      'TSPOP_ERR_ACCT_GATHER',
      'TSPOP_ERR_ACCT_INVALID_KEY',
      'TSPOP_ERR_ACCT_INVALID_TOKEN',
      'TSPOP_ERR_ACCT_KEY_MISSING',
      'TSPOP_ERR_ACCT_OPTIONS',
      'TSPOP_ERR_ACCT_YAML',
    ]);
  });

  it('are each thrown somewhere in acct/, src/acct/ or scripts/acct.ts', () => {
    const sources = [...sourceFiles(join(ROOT, 'acct')), ...sourceFiles(join(ROOT, 'src/acct')), join(ROOT, 'scripts/acct.ts')]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const acct = Object.entries(tspop).filter(
      (e): e is [string, TspopErrorClass] => typeof e[1] === 'function' && e[1].prototype instanceof TspopError,
    ).filter(([, cls]) => cls.code.includes('_ACCT_'));
    expect(acct.length).toBe(13);
    expect(acct.filter(([name]) => !new RegExp(`new ${name}\\b|usage\\(${name}\\b`).test(sources)).map(([n]) => n)).toEqual([]);
  });
});
