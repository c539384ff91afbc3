import { describe, expect, it } from 'vitest';
import { castArg, parseDragonflyArgs, splitValues } from '../../../../plugins/dripline/_lib/cli-args.ts';
import { DriplineUsageError } from '../../../../plugins/dripline/_errors.ts';
import { pyRepr } from '../../../../plugins/dripline/_lib/python-str.ts';
import { replyLine } from '../../../../plugins/dripline/_lib/render.ts';

const parse = (line: string) => parseDragonflyArgs(line.split(' ').filter(Boolean));

describe('dragonfly command line', () => {
  it('reads the seed\'s agent flags anywhere after the subcommand', () => {
    expect(parse('get peaches -s calibration -b rabbit:5673 -t 2.5 -k 0123456789abcdef0123456789abcdef --json')).toEqual({
      command: 'get',
      positionals: ['peaches'],
      options: { specifier: 'calibration', broker: 'rabbit:5673', timeout: '2.5', lockout_key: '0123456789abcdef0123456789abcdef', json: true },
    });
    expect(parse('set chips 1.79').positionals).toEqual(['chips', '1.79']);
  });

  it('takes -po as one flag, counts -v/-vv, and -k as binding keys on monitor', () => {
    expect(parse('monitor -e requests -k sensor_value.# heartbeat.# -po -vv').options).toEqual({ exchange: 'requests', keys: ['sensor_value.#', 'heartbeat.#'], payload_only: true, verbose: 2 });
    expect(parse('monitor -v -v').options.verbose).toBe(2);
    expect(parse('monitor -k').options.keys).toEqual([]);
  });

  it('a bare -b means localhost; negative numbers are values; -- ends options', () => {
    expect(parse('get peaches -b').options.broker).toBe('localhost');
    expect(parse('get peaches -b -s x').options).toEqual({ broker: 'localhost', specifier: 'x' });
    expect(parse('set chips -1.5 -t 3').positionals).toEqual(['chips', '-1.5']);
    expect(parse('set chips -- -x').positionals).toEqual(['chips', '-x']);
    expect(parse('get peaches -scalibration').options.specifier).toBe('calibration');
    expect(parse('get peaches --specifier=calibration').options.specifier).toBe('calibration');
  });

  it('serve takes -c and extra -k binding keys', () => {
    expect(parse('serve -c plugins/dripline/examples/kv_store_tutorial.yaml -k extra.# -b').options).toEqual({
      config: 'plugins/dripline/examples/kv_store_tutorial.yaml', keys: ['extra.#'], broker: 'localhost',
    });
  });

  it('bad command lines are usage errors naming what is wrong', () => {
    expect(() => parse('gett peaches')).toThrow(/did you mean get/);
    expect(() => parse('get peaches --specifer x')).toThrow(/did you mean --specifier/);
    expect(() => parse('get peaches -po')).toThrow(/only of: monitor/);
    expect(() => parse('get peaches -s')).toThrow(DriplineUsageError);
    expect(() => parse('monitor --json=1')).toThrow(DriplineUsageError);
    expect(parse('-V').command).toBeUndefined();
    expect(parse('-h').options.help).toBe(true);
  });

  it('casts values as the seed did, and key=value becomes a keyword argument', () => {
    expect(['1.79', '-2', '1e3', '.5', 'true', 'False', 'none', '[1, 2]', '{"a": 1}', '"7"', "'x y'", '007', 'CLOSE'].map(castArg))
      .toEqual([1.79, -2, 1000, 0.5, true, false, null, [1, 2], { a: 1 }, '7', 'x y', '007', 'CLOSE']);
    expect(splitValues(['1', 'force=true', 'label=a=b', 'x'])).toEqual({ values: [1, 'x'], kwargs: { force: true, label: 'a=b' } });
  });

  it('prints replies as the seed: Python repr with sorted keys', () => {
    expect(replyLine('peaches', 0, { value_raw: '0.75', value_cal: 1.5 })).toBe("peaches(ret:0): {'value_cal': 1.5, 'value_raw': '0.75'}");
    expect(replyLine('chips->1.79', 0, undefined)).toBe('chips->1.79(ret:0): {}');
    expect(pyRepr({ a: [true, null, 4, "it's"] })).toBe(`{'a': [True, None, 4, "it's"]}`);
  });
});
