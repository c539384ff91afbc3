import { describe, expect, it } from 'vitest';
import { compileCalibration, formatTemplate } from '../../../../plugins/dripline/_lib/calibration.ts';
import { DriplineCalibrationError, returnCodeOf } from '../../../../plugins/dripline/_errors.ts';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return returnCodeOf(err);
  }
  return undefined;
}

describe('calibration', () => {
  it('formats the raw value into the string and evaluates it (the seed tutorial\'s three endpoints)', () => {
    expect(compileCalibration('2*{}', 'peaches').apply('0.75')).toEqual({ value_raw: '0.75', value_cal: 1.5 });
    expect(compileCalibration('times3({})', 'chips').apply(1.75)).toEqual({ value_raw: 1.75, value_cal: 5.25 });
    expect(compileCalibration('1.*{}', 'waffles').apply(4)).toEqual({ value_raw: 4, value_cal: 4 });
  });

  it('maps raw values through a dict calibration; a missing key is 304', () => {
    const cal = compileCalibration({ CLOSE: 'on', OPEN: 'off', 1: 'one' }, 'peaches_status');
    expect(cal.apply('CLOSE')).toEqual({ value_raw: 'CLOSE', value_cal: 'on' });
    expect(cal.apply(1)).toEqual({ value_raw: 1, value_cal: 'one' });
    expect(codeOf(() => cal.apply('AJAR'))).toBe(304);
  });

  it('without calibration gives value_raw only; a None raw value gives no payload', () => {
    expect(compileCalibration(undefined, 'x').apply(3)).toEqual({ value_raw: 3 });
    expect(compileCalibration('2*{}', 'x').apply(null)).toBeUndefined();
  });

  it('a raw value the expression cannot use is 304, an overflow 303 (as dripline-python answers)', () => {
    const cal = compileCalibration('2*{}', 'x');
    expect(codeOf(() => cal.apply('CLOSE'))).toBe(304);
    expect(codeOf(() => cal.apply('1); process.exit(1); (1'))).toBe(304);
    expect(codeOf(() => compileCalibration('{}/0', 'x').apply(1))).toBe(304);
    expect(codeOf(() => compileCalibration('10.0**{}', 'x').apply(400))).toBe(303);
  });

  it('rejects a calibration that is not arithmetic over {} when the service loads', () => {
    expect(() => compileCalibration('require("fs")', 'peaches')).toThrow(DriplineCalibrationError);
    expect(() => compileCalibration('2*{name}', 'peaches')).toThrow(DriplineCalibrationError);
    expect(() => compileCalibration(['2*{}'], 'peaches')).toThrow(DriplineCalibrationError);
  });

  it('follows Python str.format for {} {0} {{ }} and :.Nf', () => {
    expect(formatTemplate('{{}}{}+{0}', '2')).toBe('{}2+2');
    expect(formatTemplate('{:.2f}', '3.14159')).toBe('3.14');
  });
});
