/**
 * No usage error (nor any other error) of any tspop CLI or runCli host shows a value that looks like a key or
 * that was given for a secret option, wherever on the command line it lands. The CLIs run in this process
 * (their `main(argv)`, stdout and stderr captured), so fast-check can try many command lines.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import acct from '../../scripts/acct.ts';
import evbusTest from '../../scripts/evbus-test.ts';
import tspop from '../../scripts/tspop.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { fixture } from '../helpers/fixtures.ts';

type Main = (argv: string[]) => Promise<number>;

const host: Main = (argv) => runCli({ name: 'cli-host', root: fixture('cli-host'), config: ['cli-host'], argv, main: async () => 3 });

/** `S` is the secret; every command line here must fail (none may start work that waits). */
const LINES: Record<string, { main: Main; env: string[]; lines: string[][] }> = {
  acct: {
    main: acct,
    env: ['ACCT_KEY'],
    lines: [
      ['S'], ['S', 'decrypt', 'f'], ['decrypt', 'S'], ['decrypt', 'f.fernet', 'S'], ['decrypt', 'S', '--acct-key', 'S'], ['encrypt', 'S'],
      ['encrypt', 'S', 'S'], ['--acct-key', 'S', 'S'], ['--acct-key=S', 'decrypt', 'x', 'y'], ['decrypt', '--output', 'S'], ['--S'], ['-S'],
      ['--S=1'], ['decrypt', '--acct-file', 'S'], ['decrypt', '--acct-key', 'S'], ['--config', 'S', 'decrypt'], ['edit', 'x', 'S'],
      ['decrypt', '--crypto-plugin', 'S', '--acct-key', 'k', 'f'], ['encrypt', '--output-file', 'S'], ['decrypt', '--acct-key'], ['S=1'],
    ],
  },
  'evbus-test': {
    main: evbusTest,
    env: ['ACCT_KEY'],
    lines: [
      ['S'], ['--count', 'S'], ['--random-period', 'S'], ['--output', 'S'], ['--acct-file', 'S'], ['--acct-key', 'S', 'S'],
      ['--acct-key=S', '--acct-file', '/nonexistent/x.fernet'], ['--S'], ['--serial-plugin', 'S', '--count', 'x'], ['--config', 'S'],
      ['--ingress-profiles', 'S', '--count', 'S'],
    ],
  },
  tspop: { main: tspop, env: [], lines: [['S'], ['tree', '--S'], ['S', 'tree'], ['--json', 'S'], ['--config', 'S']] },
  'cli-host': {
    main: host,
    env: ['CLI_HOST_TOKEN', 'ACCT_KEY'],
    lines: [
      ['S'], ['serve', 'x', 'S'], ['--api-token', 'S', 'S'], ['-tS', 'S', 'serve'], ['--api-token=S', '--mode', 'S'], ['--workers', 'S'],
      ['--acct-key', 'S', '--mode', 'S'], ['--S'], ['--mode', 'S'], ['--config', 'S'],
    ],
  },
};

/** A Fernet key, or a short password that only a secret option's value reveals as secret. */
const secret = fc.oneof(
  fc.constant(null).map(() => randomBytes(32).toString('base64url') + '='),
  fc.stringMatching(/^[a-z][a-z0-9]{7,11}$/).map((s) => `pw${s}`),
);

let out = '';
beforeEach(() => {
  out = '';
  const grab = (chunk: string | Uint8Array): boolean => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab as typeof process.stderr.write);
  vi.stubEnv('EDITOR', 'false');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe.each(Object.entries(LINES))('%s', (_name, { main, env, lines }) => {
  it('never shows the secret, on any of its error paths (property)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, fc.constantFrom(...lines), async (s, line) => {
        // a short password is only secret when given for a secret option (or its env var)
        const isKey = s.endsWith('=');
        const argv = line.map((w) => w.split('S').join(s));
        const asOption = line.some((w, i) => /^(--acct-key|--api-token|-t)/.test(w) && (w.includes('S') || line[i + 1] === 'S'));
        if (!isKey && !asOption) {
          if (env.length === 0) return; // not a secret to this CLI
          for (const name of env) vi.stubEnv(name, s);
        }
        out = '';
        const code = await main(argv);
        expect(code).not.toBe(0);
        expect(out).not.toContain(s);
        vi.unstubAllEnvs();
        vi.stubEnv('EDITOR', 'false');
      }),
      { numRuns: lines.length * 3 },
    );
  });
});
