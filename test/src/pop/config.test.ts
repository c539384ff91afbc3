import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { Hub, ConfigChoiceError, ConfigTypeError, ConfigUnknownFlagError } from '../../../src/index.ts';
import { fixture } from '../../helpers/fixtures.ts';

const root = fixture('config-host');

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tspop-conf-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('hub.pop.config.load with a host project conf.ts', () => {
  it('builds hub.OPT per project with the defaults', async () => {
    const hub = await Hub.create({ root });

    await hub.pop.config.load(['my_app', 'acct'], { cli: 'my_app', argv: [], env: {} });

    expect(hub.OPT.my_app.port).toBe(8080);
    expect(hub.OPT.acct.acct_profile).toBe('default');
    expect(hub.OPT.acct.acct_file).toBeUndefined();
    expect(Object.isFrozen(hub.OPT.my_app)).toBe(true);
  });

  it('precedence: defaults < config file < environment < flags actually given', async () => {
    const file = yamlFile('my_app:\n  port: 1000\n  name: from-file\n  mode: safe\n');
    const env = { MYAPP_PORT: '2000' };
    const hub = await Hub.create({ root });

    await hub.pop.config.load(['my_app'], { cli: 'my_app', argv: ['--config', file, '--name', 'from-cli'], env });

    expect(hub.OPT.my_app.mode).toBe('safe'); // file beats default
    expect(hub.OPT.my_app.port).toBe(2000); // env beats file
    expect(hub.OPT.my_app.name).toBe('from-cli'); // flag beats file

    const again = await Hub.create({ root });
    await again.pop.config.load(['my_app'], { cli: 'my_app', argv: ['--config', file, '-p', '3000'], env });
    expect(again.OPT.my_app.port).toBe(3000); // flag beats env
  });

  it('source pulls acct_file onto this CLI; the value lands under acct, env ACCT_FILE included', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.config.load(['my_app', 'acct'], { cli: 'my_app', argv: ['--acct-file', 'creds.fernet'], env: {} });
    expect(hub.OPT.acct.acct_file).toBe('creds.fernet');
    expect(hub.OPT.my_app.acct_file).toBeUndefined();

    const fromEnv = await Hub.create({ root });
    await fromEnv.pop.config.load(['my_app', 'acct'], { cli: 'my_app', argv: [], env: { ACCT_FILE: 'env.fernet' } });
    expect(fromEnv.OPT.acct.acct_file).toBe('env.fernet');
  });

  it('subcommands and positionals', async () => {
    const hub = await Hub.create({ root });

    const result = await hub.pop.config.load(['my_app'], { cli: 'my_app', argv: ['a.txt', 'b.txt'], env: {} });

    expect(hub.OPT.my_app.files).toEqual(['a.txt', 'b.txt']);
    expect(result.subcommand).toBeUndefined();
  });

  it('--help returns the text (the caller prints it): every option with its env var and default', async () => {
    const hub = await Hub.create({ root });

    const { help } = await hub.pop.config.load(['my_app', 'acct'], { cli: 'my_app', argv: ['--help'], env: {} });

    expect(help).toMatch(/-p, --port <port>.*\[env: MYAPP_PORT\].*\[default: 8080\]/);
    expect(help).toMatch(/--acct-file.*\[env: ACCT_FILE\]/);
    expect(help).toMatch(/serve\s+Run the server/);
  });

  it.each([
    [['--prot', '1'], ConfigUnknownFlagError, /--prot.*--port/],
    [['--port', 'eighty'], ConfigTypeError, /--port/],
    [['--mode', 'slow'], ConfigChoiceError, /--mode.*fast, safe/],
  ])('%j is a one-line usage error naming the option (exit code 2)', async (argv, cls, message) => {
    const hub = await Hub.create({ root });

    const err = await hub.pop.config.load(['my_app'], { cli: 'my_app', argv, env: {} }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/\n/);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });
});
