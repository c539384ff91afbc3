import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluate, parseExpression } from '../../../../plugins/dripline/_lib/expression.ts';

const calc = (src: string) => evaluate(parseExpression(src));

describe('calibration expressions', () => {
  it('does arithmetic with Python precedence and operators', () => {
    expect(calc('2*0.75')).toBe(1.5);
    expect(calc('1.*4.0')).toBe(4);
    expect(calc('1 + 2 * 3 - 4 / 2')).toBe(5);
    expect(calc('-2**2')).toBe(-4);
    expect(calc('2**-1')).toBe(0.5);
    expect(calc('2**3**2')).toBe(512);
    expect(calc('-7 // 2')).toBe(-4);
    expect(calc('-7 % 3')).toBe(2);
    expect(calc('(1 + 2) * 3')).toBe(9);
    expect(calc('.5e1 + 1e-1')).toBeCloseTo(5.1);
  });

  it('calls the math functions, with or without a math./np. prefix, and the seed\'s times2/times3', () => {
    expect(calc('times3(1.75)')).toBe(5.25);
    expect(calc('sqrt(16) + math.log10(100) + np.abs(-1)')).toBe(7);
    expect(calc('round(2.5) + round(3.5)')).toBe(6);
    expect(calc('max(1, 5, 3)')).toBe(5);
    expect(calc('pi')).toBe(Math.PI);
  });

  it('refuses anything that is not arithmetic: names, attribute calls, strings, statements', () => {
    for (const src of ['process.exit(1)', 'CLOSE', 'constructor', 'x = 1', "'a'", '__import__("os")', '1;2', '']) {
      expect(() => calc(src), src).toThrow(ExpressionError);
    }
    expect(() => calc('toString()')).toThrow(/not defined/);
    expect(() => calc('hasOwnProperty(1)')).toThrow(/not defined/);
  });

  it('raises Python\'s errors instead of returning Infinity or NaN', () => {
    const kind = (src: string) => {
      try {
        calc(src);
      } catch (err) {
        return (err as ExpressionError).kind;
      }
      return 'none';
    };
    expect(kind('1/0')).toBe('ZeroDivisionError');
    expect(kind('1 % 0')).toBe('ZeroDivisionError');
    expect(kind('10.0**400')).toBe('OverflowError');
    expect(kind('sqrt(-1)')).toBe('ValueError');
    expect(kind('2 *')).toBe('SyntaxError');
  });
});
