import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectOptions } from '../../../src/config/collect-options.ts';
import { parseArgv } from '../../../src/config/parse-argv.ts';
import type { ArgvCapture } from '../../../src/config/argv-capture.ts';
import type { CliModel } from '../../../src/config/option-spec.ts';
import type { Project, ProjectConf } from '../../../src/conf-types.ts';
import { ConfigMissingError, ConfigUnknownFlagError, ConfigUsageError, TspopError } from '../../../src/errors.ts';
import { commanderParse } from './commander-oracle.ts';

function project(name: string, conf: Partial<ProjectConf>): Project {
  return { name, root: `/x/${name}`, confPath: `/x/${name}/conf.ts`, conf: { CONFIG: {}, CLI_CONFIG: {}, SUBCOMMANDS: {}, DYNE: {}, ...conf } };
}

/** Every kind of flag and positional a CLI_CONFIG can make, on the top level and on two subcommands. */
function toolModel(digitFlag: boolean): CliModel {
  const tool = project('tool', {
    CONFIG: {
      name: { help: 'a name' },
      loud: { default: false, help: 'a boolean: --loud and --no-loud' },
      quiet: { default: true },
      level: { help: 'optional value' },
      tags: { default: [], help: 'any number of values' },
      hosts: { default: [], help: 'at least one value' },
      pair: { type: 'integer', help: 'exactly two' },
      add: { default: [] },
      verbosity: { default: 0 },
      ratio: { type: 'number' },
      target: {},
      mode: {},
      fast: { default: false },
      files: { default: [] },
      key: {},
      one: { default: false },
    },
    CLI_CONFIG: {
      name: { options: ['-n'], subcommands: ['_global_'] },
      loud: { options: ['-l'], subcommands: ['_global_'] },
      quiet: { action: 'store_false', options: ['q'] },
      level: { nargs: '?', subcommands: ['_global_'] },
      tags: { nargs: '*', options: ['-t'] },
      hosts: { nargs: '+', subcommands: ['run'] },
      pair: { nargs: 2 },
      add: { action: 'append', options: ['-a'], subcommands: ['_global_'] },
      verbosity: { action: 'count', options: ['-V'], subcommands: ['_global_'] },
      ratio: { options: ['-r'], subcommands: ['_global_'] },
      target: { positional: true, nargs: '?' },
      mode: { options: ['-m'], subcommands: ['run'] },
      fast: { options: ['-f'], subcommands: ['run'] },
      files: { positional: true, nargs: '*', subcommands: ['run'] },
      key: { positional: true, subcommands: ['get'] },
      ...(digitFlag ? { one: { action: 'store_true', options: ['-1'], subcommands: ['_global_'] } } : {}),
    },
    SUBCOMMANDS: { run: { help: 'run things' }, get: { help: 'get one key' } },
  });
  const cli = collectOptions({ names: ['tool'], projects: [tool], cli: 'tool', versionFlag: true, verboseFlag: true }).cli;
  if (!cli) throw new Error('no cli');
  return cli;
}

const model = toolModel(false);

/** The capture as plain data: flag events and positionals by key, in command-line order. */
function plain(capture: ArgvCapture) {
  return {
    flags: [...capture.flags].map(([entry, events]) => [entry.key, events.map((e) => ({ ...e }))]),
    positionals: [...capture.positionals].map(([entry, value]) => [entry.key, value]),
    subcommand: capture.subcommand,
    version: capture.version,
    configPath: capture.configPath,
  };
}

function parseError(argv: string[], m = model): TspopError {
  try {
    parseArgv(m, argv);
  } catch (err) {
    if (err instanceof TspopError) return err;
    throw err;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

const flagsOf = (argv: string[]) => plain(parseArgv(model, argv)).flags;

describe('parseArgv', () => {
  it('reads flags before and after positionals, top-level flags after the subcommand too', () => {
    const r = plain(parseArgv(model, ['-n', 'x', 'run', 'a.txt', '--mode', 'slow', 'b.txt', '--name=y']));
    expect(r.subcommand).toBe('run');
    expect(r.flags).toEqual([['name', [{ neg: false, value: 'x' }, { neg: false, value: 'y' }]], ['mode', [{ neg: false, value: 'slow' }]]]);
    expect(r.positionals).toEqual([['files', ['a.txt', 'b.txt']]]);
  });

  it('takes -kVALUE, groups of switches and a value glued to the last short flag', () => {
    expect(flagsOf(['-lVV', '-nbob', '-Vaextra'])).toEqual([
      ['loud', [{ neg: false, value: undefined }]],
      ['verbosity', [{ neg: false, value: undefined }, { neg: false, value: undefined }, { neg: false, value: undefined }]],
      ['name', [{ neg: false, value: 'bob' }]],
      ['add', [{ neg: false, value: 'extra' }]],
    ]);
  });

  it('gives a required value the next word even when it starts with a dash', () => {
    expect(flagsOf(['--name', '--loud'])).toEqual([['name', [{ neg: false, value: '--loud' }]]]);
  });

  it('takes an optional value unless the next word is a flag, and negative numbers as values', () => {
    expect(flagsOf(['--level', '--loud'])[0]).toEqual(['level', [{ neg: false, value: null }]]);
    expect(flagsOf(['--level', '-3'])).toEqual([['level', [{ neg: false, value: '-3' }]]]);
    expect(flagsOf(['--tags', 'a', '-1.5', 'b', '--loud', 'c'])).toEqual([
      ['tags', ['a', '-1.5', 'b'].map((value) => ({ neg: false, value }))],
      ['loud', [{ neg: false, value: undefined }]],
    ]);
  });

  it('stops reading flags at --', () => {
    const r = plain(parseArgv(model, ['run', '--', '--mode', '-x']));
    expect(r.flags).toEqual([]);
    expect(r.positionals).toEqual([['files', ['--mode', '-x']]]);
  });

  it('records --no-x as a negated switch', () => {
    expect(flagsOf(['--loud', '--no-loud'])).toEqual([['loud', [{ neg: false, value: undefined }, { neg: true, value: undefined }]]]);
  });

  it('names what is wrong with coded errors, never the value glued to a flag', () => {
    expect(parseError(['--bogus=s3cret']).message).toBe('unknown option --bogus');
    expect(parseError(['-zs3cret']).message).toBe('unknown option -z');
    expect(parseError(['--mode', 'x', 'run'])).toBeInstanceOf(ConfigUnknownFlagError);
    expect(parseError(['--mode', 'x', 'run']).message).toBe('option --mode is not available on the top level (only on: run)');
    expect(parseError(['--name'])).toBeInstanceOf(ConfigMissingError);
    expect(parseError(['--name']).message).toBe('option --name: missing value');
    expect(parseError(['get']).message).toBe('argument <key>: missing (required)');
    expect(parseError(['get', 'k', 'extra']).message).toBe('unexpected argument "extra" for subcommand get');
    expect(parseError(['t', 'extra'])).toBeInstanceOf(ConfigUsageError);
    expect(parseError(['--lodu']).message).toBe('unknown option --lodu (did you mean --loud?)');
  });

  it('treats -1 as a flag, not a number, once a CLI defines -1', () => {
    const withOne = toolModel(true);
    expect(plain(parseArgv(withOne, ['run', '-1'])).flags).toEqual([['one', [{ neg: false, value: undefined }]]]);
    expect(plain(parseArgv(model, ['run', '-1'])).positionals).toEqual([['files', ['-1']]]);
    expect(parseError(['-1'])).toBeInstanceOf(ConfigUnknownFlagError);
  });

  describe('reads every command line as commander 14 did (the parser before it)', () => {
    const words = (m: CliModel) => [
      ...m.entries.flatMap((e) => [...e.flags, ...e.hiddenFlags, ...(e.negFlag ? [e.negFlag] : [])]),
      '--name=v', '--loud=1', '--level=', '-nV', '-lV', '-Vl', '-Va', '-lz', '-tq', '-1', '-5', '-1.5', '-2e3', '5', '-', '--',
      'run', 'get', 'a', 'b', 'x=y', '--unknown', '-z', '--version', '--config', '--verbose', '-h', '--help', '---x', '--=',
    ];
    const cases: [string, CliModel][] = [['no digit flag', model], ['a -1 flag', toolModel(true)]];
    it.each(cases)('with %s', (_name, m) => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...words(m)), { maxLength: 9 }), (argv) => {
          const theirs = commanderParse(m, argv);
          let ours: ReturnType<typeof plain> | TspopError;
          try {
            ours = plain(parseArgv(m, argv));
          } catch (err) {
            if (!(err instanceof TspopError)) throw err;
            ours = err;
          }
          if (theirs.ok) {
            expect(ours).toEqual(plain(theirs.capture));
            return;
          }
          expect(ours).toBeInstanceOf(TspopError);
          const err = ours as TspopError;
          const expected = {
            'commander.unknownOption': ConfigUnknownFlagError,
            'commander.optionMissingArgument': ConfigMissingError,
            'commander.missingArgument': ConfigMissingError,
            'commander.excessArguments': ConfigUsageError,
          }[theirs.code];
          expect(expected, theirs.code).toBeDefined();
          expect(err).toBeInstanceOf(expected!);
          if (theirs.code === 'commander.unknownOption') {
            const flag = /^-[^-]/.test(theirs.word) ? theirs.word.slice(0, 2) : theirs.word.replace(/=.*$/s, '');
            expect(err.message).toContain(` ${flag}`);
          } else if (theirs.code === 'commander.excessArguments') {
            expect(err.message).toContain(theirs.extra ?? '');
          } else {
            expect(err.message).toContain(theirs.word.split(' ')[0]!.replace(/\.\.\.$/, ''));
          }
        }),
        { numRuns: 4000 },
      );
    });
  });
});
