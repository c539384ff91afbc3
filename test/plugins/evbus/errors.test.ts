import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tspop from '../../../src/index.ts';
import { TspopError, errorCodes, type TspopErrorClass } from '../../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EVBUS_DIRS = ['src/evbus', 'plugins/evbus', 'plugins/ingress', 'plugins/serial', 'acct/evbus'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('evbus error codes', () => {
  it('pins the evbus codes', () => {
    expect(errorCodes().filter((c) => c.includes('_EVBUS_'))).toEqual([
      'TSPOP_ERR_EVBUS_ACCT',
      'TSPOP_ERR_EVBUS_ALREADY_STARTED',
      'TSPOP_ERR_EVBUS_AMQP_CLOSED',
      'TSPOP_ERR_EVBUS_AMQP_NACK',
      'TSPOP_ERR_EVBUS_AMQP_PROFILE',
      'TSPOP_ERR_EVBUS_CONTEXT',
      'TSPOP_ERR_EVBUS_HTTP_FAILED',
      'TSPOP_ERR_EVBUS_HTTP_PROFILE',
      'TSPOP_ERR_EVBUS_INGRESS_INVALID',
      'TSPOP_ERR_EVBUS_MATCH',
      'TSPOP_ERR_EVBUS_NOT_STARTED',
      'TSPOP_ERR_EVBUS_OPTIONS',
      'TSPOP_ERR_EVBUS_QUEUE_FULL',
      'TSPOP_ERR_EVBUS_SERIAL',
    ]);
  });

  it('every evbus code is thrown (or rejected with) somewhere in the evbus sources', () => {
    const code = sources(ROOT + EVBUS_DIRS[0]).concat(...EVBUS_DIRS.slice(1).map((d) => sources(ROOT + d))).join('\n');
    const byCode = new Map(
      Object.entries(tspop)
        .filter((e): e is [string, TspopErrorClass] => typeof e[1] === 'function' && e[1].prototype instanceof TspopError)
        .map(([name, cls]) => [cls.code, name]),
    );
    for (const c of errorCodes().filter((x) => x.includes('_EVBUS_'))) {
      const name = byCode.get(c) as string;
      expect(code, `${c} (${name})`).toMatch(new RegExp(`new ${name}\\(`));
    }
  });
});
