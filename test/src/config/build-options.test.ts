import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { buildOptions, type BuildOptionsInput } from '../../../src/config/build-options.ts';
import type { Project, ProjectConf } from '../../../src/conf-types.ts';
import { ConfigChoiceError, ConfigDefinitionError, ConfigFileError, ConfigMissingError, ConfigTypeError, ConfigUnknownFlagError, ConfigUsageError, type TspopErrorClass } from '../../../src/errors.ts';

function project(name: string, conf: Partial<ProjectConf>): Project {
  return {
    name,
    root: `/x/${name}`,
    confPath: `/x/${name}/conf.ts`,
    conf: { CONFIG: {}, CLI_CONFIG: {}, SUBCOMMANDS: {}, DYNE: {}, ...conf },
  };
}

const acct = project('acct', {
  CONFIG: {
    acct_file: { help: 'Path to the acct file', os: 'ACCT_FILE' },
    acct_key: { help: 'Key for the acct file', os: 'ACCT_KEY', secret: true, default: 'dflt-secret-key' },
    crypto_plugin: { default: 'fernet', help: 'Crypto plugin', choices: ['fernet', 'aesgcm'] },
    serial_plugin: { default: 'msgpack', help: 'Serializer', os: 'ACCT_SERIAL' },
    input_file: { help: 'File to read' },
    output_file: { help: 'File to write' },
  },
  CLI_CONFIG: {
    input_file: { positional: true, nargs: '?', subcommands: ['encrypt', 'decrypt'] },
    acct_file: { options: ['-f'], subcommands: ['_global_'] },
    acct_key: { options: ['-k'], subcommands: ['_global_'] },
    crypto_plugin: { subcommands: ['encrypt'] },
    output_file: { subcommands: ['_', 'encrypt'] },
  },
  SUBCOMMANDS: { encrypt: { help: 'Encrypt a file' }, decrypt: { help: 'Decrypt a file', desc: 'Decrypts an acct file' } },
});

const myProject = project('my_project', {
  CONFIG: {
    port: { default: 8080, type: 'integer', help: 'Port to listen on', os: 'MY_PORT' },
    name: { default: 'world', help: 'Who to greet', os: 'MY_NAME' },
    debug: { default: false, help: 'Debug mode', os: 'MY_DEBUG' },
    verbose: { default: false, help: 'Be chatty' },
    tags: { default: ['base'], help: 'Tags', os: 'MY_TAGS' },
    pair: { type: 'integer', help: 'Two numbers' },
    level: { default: 'info', choices: ['debug', 'info', 'warning'], help: 'Log level', os: 'MY_LEVEL' },
    pin: { type: 'integer', secret: true, help: 'PIN', os: 'MY_PIN' },
    targets: { default: [], help: 'Files to serve' },
    settings: { default: { a: { b: 1 } }, help: 'Nested settings' },
    workers: { default: 2, help: 'Worker count' },
  },
  CLI_CONFIG: {
    port: { options: ['-p'] },
    name: {},
    debug: {},
    verbose: { action: 'store_true', options: ['v'] },
    tags: { nargs: '*' },
    pair: { nargs: 2 },
    level: {},
    pin: {},
    acct_file: { source: 'acct', group: 'Account' },
    acct_key: { source: 'acct', group: 'Account' },
    targets: { positional: true, nargs: '*' },
    workers: { subcommands: ['serve'] },
    shout: { action: 'store_true', help: 'CLI-only switch' },
  },
  SUBCOMMANDS: { serve: { help: 'Run the server' } },
});

const evbus = project('evbus', {
  CONFIG: {
    serial_plugin: { default: 'json', help: 'evbus serializer' },
    ingress_profiles: { default: [], help: 'Ingress profiles' },
    evbus_extra: { dyne: 'my_project', default: 3, help: 'Added to my_project by evbus' },
  },
  CLI_CONFIG: {
    ingress_profiles: { dyne: 'my_project', nargs: '+', subcommands: ['listen'] },
    random: { dyne: ['my_project', 'other'], action: 'store_true', help: 'Pick randomly', subcommands: ['listen'] },
  },
  SUBCOMMANDS: { listen: { dyne: 'my_project', help: 'Listen to the bus' } },
});

const projects = [myProject, acct, evbus];

function build(over: Partial<BuildOptionsInput> = {}) {
  return buildOptions({ names: ['my_project', 'acct'], projects, env: {}, ...over });
}

function cli(argv: string[], over: Partial<BuildOptionsInput> = {}) {
  return build({ cli: 'my_project', argv, ...over });
}

type CodedError = Error & { code: string; exitCode: number };

/** Runs `fn`, expects a config error of class `cls` with exit code 2 and a one-line message, returns it. */
function fails(cls: TspopErrorClass, fn: () => unknown): CodedError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  const coded = err as CodedError;
  expect(coded.code).toBe(cls.code);
  expect(coded.exitCode).toBe(2);
  expect(coded.message).not.toMatch(/[\r\n]/);
  return coded;
}

function yamlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tspop-config-')), 'config.yaml');
  writeFileSync(path, text);
  return path;
}

describe('buildOptions: namespaces and defaults', () => {
  it('fills defaults of every requested name, with a namespace even for an unknown name', () => {
    const r = build({ names: ['my_project', 'acct', 'nothing_here'] });
    expect(r.opt.my_project).toMatchObject({ port: 8080, name: 'world', debug: false, tags: ['base'] });
    expect(r.opt.acct).toMatchObject({ crypto_plugin: 'fernet', serial_plugin: 'msgpack' });
    expect(r.opt.nothing_here).toEqual({});
    expect(r.sources.my_project!.port).toBe('default');
    expect(r.subcommand).toBeUndefined();
    expect(r.help).toBeUndefined();
    expect(r.version).toBeUndefined();
  });

  it('leaves out options without a default', () => {
    const r = build();
    expect('acct_file' in r.opt.acct!).toBe(false);
    expect('pin' in r.opt.my_project!).toBe(false);
  });

  it('puts a CONFIG entry with dyne into the dyne namespace, not its project', () => {
    const r = build({ names: ['my_project', 'evbus'] });
    expect(r.opt.my_project!.evbus_extra).toBe(3);
    expect('evbus_extra' in r.opt.evbus!).toBe(false);
    expect(r.opt.evbus!.serial_plugin).toBe('json');
  });

  it('deep-clones defaults so freezing opt never freezes the conf', () => {
    const r = build();
    const settings = r.opt.my_project!.settings as { a: { b: number } };
    settings.a.b = 99;
    expect(myProject.conf.CONFIG.settings!.default).toEqual({ a: { b: 1 } });
    expect(r.opt.my_project!.tags).not.toBe(myProject.conf.CONFIG.tags!.default);
  });
});

describe('buildOptions: precedence', () => {
  it('layers default < config file < env < command line', () => {
    const file = yamlFile('my_project:\n  port: 1\n  name: file\n  debug: true\n  workers: 5\nacct:\n  serial_plugin: json\n');
    const r = cli(['--config', file, '--port', '3'], { env: { MY_PORT: '2', MY_NAME: 'env' } });
    expect(r.opt.my_project).toMatchObject({ port: 3, name: 'env', debug: true, workers: 5, verbose: false });
    expect(r.sources.my_project).toMatchObject({ port: 'cli', name: 'env', debug: 'file', verbose: 'default' });
    expect(r.opt.acct!.serial_plugin).toBe('json');
    expect(r.sources.acct!.serial_plugin).toBe('file');
  });

  it('lets a typed flag equal to its default win over env', () => {
    const r = cli(['--port', '8080'], { env: { MY_PORT: '2' } });
    expect(r.opt.my_project!.port).toBe(8080);
    expect(r.sources.my_project!.port).toBe('cli');
  });

  it('reads the config file named by an option called config (default or env)', () => {
    const file = yamlFile('tool:\n  color: blue\n');
    const tool = project('tool', {
      CONFIG: { config: { os: 'TOOL_CONFIG', help: 'Config file' }, color: { default: 'red' } },
      CLI_CONFIG: { config: { options: ['-c'] }, color: {} },
    });
    const viaEnv = buildOptions({ names: ['tool'], projects: [tool], env: { TOOL_CONFIG: file } });
    expect(viaEnv.opt.tool!.color).toBe('blue');
    const viaFlag = buildOptions({ names: ['tool'], projects: [tool], cli: 'tool', argv: ['-c', file], env: {} });
    expect(viaFlag.opt.tool).toMatchObject({ color: 'blue', config: file });
  });

  it('skips a missing config file named only by a default, but not one given explicitly', () => {
    const tool = project('tool', { CONFIG: { config: { default: '/nonexistent/tool.yaml', os: 'TOOL_CONFIG' } } });
    expect(buildOptions({ names: ['tool'], projects: [tool], env: {} }).opt.tool!.config).toBe('/nonexistent/tool.yaml');
    const err = fails(ConfigFileError, () =>
      buildOptions({ names: ['tool'], projects: [tool], env: { TOOL_CONFIG: '/nonexistent/other.yaml' } }));
    expect(err.message).toContain('/nonexistent/other.yaml');
  });
});

describe('buildOptions: config file', () => {
  it('ignores namespaces not requested, rejects unknown keys of requested ones', () => {
    expect(cli(['--config', yamlFile('someone_else:\n  x: 1\n')]).opt.my_project!.port).toBe(8080);
    const file = yamlFile('my_project:\n  prot: 1\n');
    const err = fails(ConfigFileError, () => cli(['--config', file]));
    expect(err.message).toContain(file);
    expect(err.message).toContain('my_project.prot');
    expect(err.message).toContain('did you mean port');
  });

  it('reports YAML syntax errors with path and line:col', () => {
    const file = yamlFile('my_project:\n  port: [1, 2\n');
    const err = fails(ConfigFileError, () => cli(['--config', file]));
    expect(err.message).toMatch(new RegExp(`${file}:\\d+:\\d+`));
  });

  it('reports a missing file', () => {
    fails(ConfigFileError, () => cli(['--config', '/nonexistent/config.yaml']));
  });

  it('type-checks file values', () => {
    const err = fails(ConfigTypeError, () => cli(['--config', yamlFile('my_project:\n  port: lots\n')]));
    expect(err.message).toContain('--port');
  });
});

describe('buildOptions: source and dyne', () => {
  it('lands a flag with source under the source project, building that namespace', () => {
    const r = build({ names: ['my_project'], cli: 'my_project', argv: ['--acct-file', '/a.yml'] });
    expect(r.opt.acct!.acct_file).toBe('/a.yml');
    expect(r.sources.acct!.acct_file).toBe('cli');
    expect('acct_file' in r.opt.my_project!).toBe(false);
    expect(r.opt.acct!.crypto_plugin).toBe('fernet');
  });

  it('adds flags and subcommands to another CLI with dyne', () => {
    const r = cli(['listen', '--ingress-profiles', 'a', 'b', '--random']);
    expect(r.subcommand).toBe('listen');
    expect(r.opt.evbus!.ingress_profiles).toEqual(['a', 'b']);
    expect(r.opt.my_project!.random).toBe(true);
    fails(ConfigUnknownFlagError, () => cli(['serve', '--random']));
  });

  it('does not put dyne entries on the project CLI they came from', () => {
    fails(ConfigUnknownFlagError, () => buildOptions({ names: ['evbus'], projects, cli: 'evbus', argv: ['--random'], env: {} }));
  });

  it('fails on a CLI_CONFIG key with no CONFIG entry, naming project and key', () => {
    const bad = project('bad', { CLI_CONFIG: { ghost: {} } });
    const err = fails(ConfigDefinitionError, () => buildOptions({ names: ['bad'], projects: [bad], cli: 'bad', argv: [], env: {} }));
    expect(err.message).toContain('bad');
    expect(err.message).toContain('ghost');
  });

  it('treats a CLI_CONFIG entry with its own default/help as a CLI-only option of the CLI project', () => {
    expect(cli([]).opt.my_project!.shout).toBe(false);
    expect(cli(['--shout']).opt.my_project!.shout).toBe(true);
    expect(cli(['--shout']).sources.my_project!.shout).toBe('cli');
  });
});

describe('buildOptions: subcommands', () => {
  const acctCli = (argv: string[], env: Record<string, string> = {}) =>
    buildOptions({ names: ['acct'], projects, cli: 'acct', argv, env });

  it('limits flags to their subcommands; _ adds the top level, _global_ every level', () => {
    const r = acctCli(['encrypt', 'in.txt', '--crypto-plugin', 'aesgcm', '-k', 's3cret', '--output-file', 'o']);
    expect(r.subcommand).toBe('encrypt');
    expect(r.opt.acct).toMatchObject({ input_file: 'in.txt', crypto_plugin: 'aesgcm', acct_key: 's3cret', output_file: 'o' });
    expect(acctCli(['--output-file', 'o']).opt.acct!.output_file).toBe('o');
    expect(acctCli(['-f', 'x', 'decrypt']).opt.acct!.acct_file).toBe('x');
    const err = fails(ConfigUnknownFlagError, () => acctCli(['decrypt', '--crypto-plugin', 'aesgcm']));
    expect(err.message).toContain('--crypto-plugin');
    expect(err.message).toContain('encrypt');
    fails(ConfigUnknownFlagError, () => acctCli(['--crypto-plugin', 'aesgcm']));
  });

  it('reports an unknown subcommand', () => {
    const err = fails(ConfigUsageError, () => acctCli(['encrpyt']));
    expect(err.message).toContain('encrypt');
  });
});

describe('buildOptions: flag kinds', () => {
  it('accepts --key-with-dashes, --key_with_underscores and options aliases', () => {
    expect(cli(['--acct_file', 'u']).opt.acct!.acct_file).toBe('u');
    expect(cli(['-p', '81']).opt.my_project!.port).toBe(81);
    expect(cli(['-v']).opt.my_project!.verbose).toBe(true);
  });

  it('collects nargs lists, and lists from env (comma or JSON)', () => {
    expect(cli(['--tags', 'a', 'b', 'c']).opt.my_project!.tags).toEqual(['a', 'b', 'c']);
    expect(cli(['--tags']).opt.my_project!.tags).toEqual([]);
    expect(cli([], { env: { MY_TAGS: 'x, y' } }).opt.my_project!.tags).toEqual(['x', 'y']);
    expect(cli([], { env: { MY_TAGS: '["p","q"]' } }).opt.my_project!.tags).toEqual(['p', 'q']);
    expect(cli(['--pair', '1', '2']).opt.my_project!.pair).toEqual([1, 2]);
    fails(ConfigUsageError, () => cli(['--pair', '1']));
  });

  it('fills positionals in CLI_CONFIG order', () => {
    expect(cli(['a.txt', 'b.txt']).opt.my_project!.targets).toEqual(['a.txt', 'b.txt']);
    expect(cli([]).sources.my_project!.targets).toBe('default');
  });

  it('fails on a missing required positional', () => {
    const tool = project('tool', { CONFIG: { src: { help: 'Source' }, dst: { help: 'Destination' } },
      CLI_CONFIG: { src: { positional: true }, dst: { positional: true } } });
    const run = (argv: string[]) => buildOptions({ names: ['tool'], projects: [tool], cli: 'tool', argv, env: {} });
    expect(run(['a', 'b']).opt.tool).toEqual({ src: 'a', dst: 'b' });
    const err = fails(ConfigMissingError, () => run(['a']));
    expect(err.message).toContain('dst');
  });

  it('has store_true switches and --no-x for booleans, over env', () => {
    expect(cli(['--verbose']).opt.my_project!.verbose).toBe(true);
    expect(cli(['--debug']).opt.my_project!.debug).toBe(true);
    expect(cli([], { env: { MY_DEBUG: 'yes' } }).opt.my_project!.debug).toBe(true);
    const r = cli(['--no-debug'], { env: { MY_DEBUG: 'on' } });
    expect(r.opt.my_project!.debug).toBe(false);
    expect(r.sources.my_project!.debug).toBe('cli');
  });
});

describe('buildOptions: argparse actions and CLI overrides', () => {
  const tool = project('tool', {
    CONFIG: { color: { default: true, help: 'Colour output' }, mode: { default: 'a', help: 'Mode' } },
    CLI_CONFIG: {
      verbose: { action: 'count', options: ['-v'], help: 'More output' },
      include: { action: 'append', options: ['-I'], help: 'Include path' },
      color: { action: 'store_false' },
      mode: { default: 'b', choices: ['a', 'b'], help: 'Mode from the CLI' },
    },
  });
  const run = (argv: string[]) => buildOptions({ names: ['tool'], projects: [tool], cli: 'tool', argv, env: {} });

  it('counts, appends and stores false', () => {
    const r = run(['-vvv', '-I', 'a', '--include', 'b', '--color']);
    expect(r.opt.tool).toMatchObject({ verbose: 3, include: ['a', 'b'], color: false });
    expect(run([]).opt.tool!.color).toBe(true);
  });

  it('uses CLI_CONFIG default/help/choices over CONFIG ones', () => {
    expect(run([]).opt.tool!.mode).toBe('b');
    expect(run(['-h']).help).toMatch(/--mode <mode>\s+Mode from the CLI \[choices: a, b\] \[default: b\]/);
  });
});

describe('buildOptions: definition errors', () => {
  const run = (...ps: Project[]) => () => buildOptions({ names: [ps[0]!.name], projects: ps, cli: ps[0]!.name, argv: [], env: {} });

  it('rejects a flag claimed twice on one parser', () => {
    const a = project('a', { CONFIG: { x: { default: 1 }, y: { default: 2 } }, CLI_CONFIG: { x: {}, y: { options: ['--x'] } } });
    expect(fails(ConfigDefinitionError, run(a)).message).toContain('--x');
    const b = project('b', { CONFIG: { help: { default: 1 } }, CLI_CONFIG: { help: {} } });
    fails(ConfigDefinitionError, run(b));
  });

  it('rejects two projects defining one option of a namespace', () => {
    const a = project('a', { CONFIG: { x: { default: 1 } } });
    const b = project('b', { CONFIG: { x: { default: 2, dyne: 'a' } } });
    expect(fails(ConfigDefinitionError, run(a, b)).message).toContain('a.x');
  });

  it('names both conf files of a duplicate, since two copies of one package share its name', () => {
    const first = project('a', { CONFIG: { x: { default: 1 } }, SUBCOMMANDS: { go: {} } });
    const second = { ...first, confPath: '/y/a/conf.js' };

    const option = fails(ConfigDefinitionError, run(first, { ...second, conf: { ...first.conf, SUBCOMMANDS: {} } })).message;
    const subcommand = fails(ConfigDefinitionError, run(first, second)).message;

    for (const message of [option, subcommand]) {
      expect(message).toContain('/x/a/conf.ts');
      expect(message).toContain('/y/a/conf.js');
    }
    expect(subcommand).toContain('subcommand go');
  });

  it('rejects an unknown subcommand in subcommands and an unknown cli', () => {
    const a = project('a', { CONFIG: { x: { default: 1 } }, CLI_CONFIG: { x: { subcommands: ['nope'] } } });
    expect(fails(ConfigDefinitionError, run(a)).message).toContain('nope');
    fails(ConfigDefinitionError, () => buildOptions({ names: [], projects, cli: 'ghost', argv: [], env: {} }));
  });

  it('hints at source when the CONFIG entry lives in another namespace', () => {
    const a = project('a', { CLI_CONFIG: { acct_file: {} } });
    expect(fails(ConfigDefinitionError, run(a, acct)).message).toContain('"acct"');
  });
});

describe('buildOptions: errors', () => {
  it('rejects a value outside choices, listing the allowed ones', () => {
    const err = fails(ConfigChoiceError, () => cli(['--level', 'loud']));
    expect(err.message).toContain('--level');
    expect(err.message).toContain('debug, info, warning');
    fails(ConfigChoiceError, () => cli([], { env: { MY_LEVEL: 'loud' } }));
  });

  it('rejects a bad integer from env, naming option and env var', () => {
    const err = fails(ConfigTypeError, () => cli([], { env: { MY_PORT: 'abc' } }));
    expect(err.message).toContain('--port');
    expect(err.message).toContain('MY_PORT');
    expect(fails(ConfigTypeError, () => cli(['--port', 'abc'])).message).toContain('--port');
    expect(fails(ConfigTypeError, () => build({ env: { MY_PORT: '1.5' } })).message).toContain('MY_PORT');
  });

  it('rejects an unknown flag, suggesting the closest one', () => {
    const err = fails(ConfigUnknownFlagError, () => cli(['--prot', '1']));
    expect(err.message).toContain('--prot');
    expect(err.message).toContain('--port');
  });

  it('never puts a secret value in an error message', () => {
    const secret = 'hunter2-SECRET';
    const messages = [
      fails(ConfigTypeError, () => cli([], { env: { MY_PIN: secret } })).message,
      fails(ConfigTypeError, () => cli(['--pin', secret])).message,
      fails(ConfigTypeError, () => cli(['--config', yamlFile(`my_project:\n  pin: ${secret}\n`)])).message,
      fails(ConfigUnknownFlagError, () => cli([`--pn=${secret}`])).message,
      fails(ConfigUnknownFlagError, () => cli([`-q${secret}`])).message,
    ];
    for (const message of messages) expect(message).not.toContain(secret);
    expect(messages[0]).toContain('MY_PIN');
  });
});

describe('buildOptions: help and version', () => {
  it('returns help listing flags, help text, env vars, defaults, groups and subcommands', () => {
    const r = cli(['--port', 'not-even-checked', '--help'], { programName: 'myprog' });
    const help = r.help!;
    expect(help).toContain('Usage: myprog [options] [command]');
    expect(help).toMatch(/-p, --port <port>\s+Port to listen on \[env: MY_PORT\] \[default: 8080\]/);
    expect(help).toContain('--debug, --no-debug');
    expect(help).toContain('--tags [tags...]');
    expect(help).toContain('Account:');
    expect(help).toContain('[env: ACCT_FILE]');
    expect(help).toMatch(/serve\s+Run the server/);
    expect(help).toMatch(/listen\s+Listen to the bus/);
    expect(help).toContain('--config <path>');
    expect(help).toContain('acct.serial_plugin');
  });

  it('never shows a secret default', () => {
    const help = buildOptions({ names: ['acct'], projects, cli: 'acct', argv: ['-h'], env: {} }).help!;
    expect(help).toContain('[env: ACCT_KEY]');
    expect(help).not.toContain('dflt-secret-key');
  });

  it('shows a subcommand help with its own flags and description', () => {
    const r = buildOptions({ names: ['acct'], projects, cli: 'acct', argv: ['decrypt', '-h'], env: {} });
    expect(r.subcommand).toBe('decrypt');
    expect(r.help).toContain('Usage: acct decrypt [options] [input_file]');
    expect(r.help).toContain('Decrypts an acct file');
    expect(r.help).not.toContain('--crypto-plugin');
    expect(r.help).toContain('--acct-key');
  });

  it('returns the version with --version, which is unknown without a version', () => {
    expect(cli(['--version'], { version: '1.2.3' }).version).toBe('1.2.3');
    expect(cli([], { version: '1.2.3' }).version).toBeUndefined();
    fails(ConfigUnknownFlagError, () => cli(['--version']));
  });
});

describe('flag spellings', () => {
  it('an explicit long spelling in `options` leads, so two dynes can both offer --output', () => {
    const tool = project('tool', {
      CONFIG: { tool_output: { default: 'nested', choices: ['json', 'nested'], help: 'How to print' } },
      CLI_CONFIG: { tool_output: { options: ['--output'] } },
    });
    const help = buildOptions({ names: ['tool'], cli: 'tool', argv: ['--help'], env: {}, projects: [tool] }).help ?? '';
    expect(help).toMatch(/^\s+--output <tool_output>/m);
    expect(help).not.toMatch(/--tool-output/);
    expect(buildOptions({ names: ['tool'], cli: 'tool', argv: ['--output', 'json'], env: {}, projects: [tool] }).opt.tool?.tool_output).toBe('json');
    expect(buildOptions({ names: ['tool'], cli: 'tool', argv: ['--tool-output', 'json'], env: {}, projects: [tool] }).opt.tool?.tool_output).toBe('json');
  });
});

describe('buildOptions: min and max', () => {
  const ranged = project('ranged', {
    CONFIG: { count: { default: 0, type: 'integer', min: 0, os: 'R_COUNT' }, ratio: { type: 'number', min: 0, max: 1 }, sizes: { type: 'array', default: [] } },
    CLI_CONFIG: { count: {}, ratio: {}, sizes: { nargs: '*' } },
  });
  const run = (argv: string[], env: Record<string, string> = {}) => buildOptions({ names: ['ranged'], cli: 'ranged', argv, env, projects: [ranged] });

  it.each([
    ['a flag below min', ['--count', '-5'], {}],
    ['a flag above max', ['--ratio', '1.5'], {}],
    ['an env value below min', [], { R_COUNT: '-1' }],
  ])('rejects %s as a usage error naming the option and the range', (_name, argv, env) => {
    const err = fails(ConfigTypeError, () => run(argv, env));
    expect((err as unknown as { exitCode: number }).exitCode).toBe(2);
    expect(err.message).toMatch(/must be (at least 0|from 0 to 1)/);
  });

  it('accepts the bounds themselves and shows them in help', () => {
    expect(run(['--count', '0', '--ratio', '1']).opt.ranged).toMatchObject({ count: 0, ratio: 1 });
    expect(run(['--help']).help).toContain('[min: 0] [max: 1]');
  });
});
