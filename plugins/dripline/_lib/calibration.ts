/**
 * Calibrations (dripline-python's @calibrate): a raw value becomes `{ value_raw, value_cal }`. A string
 * calibration is a Python format string over the raw value (`'2*{}'`, `'times3({})'`) whose result is evaluated
 * as arithmetic by expression.ts — never as code; a dict calibration maps str(raw) to the calibrated value.
 * Failures are 304 (invalid value), overflow 303, as dripline-python answers.
 */
import { DriplineCalibrationError, DriplineReplyError, replyError } from '../_errors.ts';
import { ExpressionError, evaluate, parseExpression } from './expression.ts';
import { pyFloatStr, pyStr } from './python-str.ts';
import { ReturnCode } from './return-codes.ts';

export type CalibrationSpec = string | Readonly<Record<string, unknown>>;

export interface CalibratedValue {
  value_raw: unknown;
  value_cal?: unknown;
  [k: string]: unknown;
}

/** A checked calibration: apply(raw) gives the reply payload (undefined raw -> undefined, as Python's None). */
export interface Calibrator {
  readonly spec: CalibrationSpec | undefined;
  apply(raw: unknown): CalibratedValue | undefined;
}

/** Checks `spec` once, at load; `where` names the endpoint and key in errors. */
export function compileCalibration(spec: unknown, where: string): Calibrator {
  if (spec === undefined || spec === null) return { spec: undefined, apply: (raw) => (raw === undefined || raw === null ? undefined : { value_raw: raw }) };
  if (typeof spec === 'string') {
    try {
      parseExpression(formatTemplate(spec, '1'));
    } catch (err) {
      throw new DriplineCalibrationError(`${where}: calibration ${JSON.stringify(spec)} is not an arithmetic expression over {}: ${(err as Error).message}`, { cause: err });
    }
    return { spec, apply: (raw) => applyString(spec, raw) };
  }
  if (typeof spec === 'object' && !Array.isArray(spec)) {
    const table = spec as Readonly<Record<string, unknown>>;
    return { spec: table, apply: (raw) => applyTable(table, raw) };
  }
  throw new DriplineCalibrationError(`${where}: calibration must be a format string (e.g. '2*{}') or a map of raw values, not ${Array.isArray(spec) ? 'a list' : typeof spec}`);
}

function applyString(spec: string, raw: unknown): CalibratedValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? pyFloatIfFloat(raw) : pyStr(raw);
  let cal: number;
  try {
    cal = evaluate(parseExpression(formatTemplate(spec, text)));
  } catch (err) {
    if (err instanceof ExpressionError && err.kind === 'OverflowError') throw replyError(DriplineReplyError, ReturnCode.service_error_bad_payload, `calibration ${JSON.stringify(spec)} overflowed for raw value ${JSON.stringify(raw)}`);
    const kind = err instanceof ExpressionError ? `${err.kind}: ` : '';
    throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `calibration ${JSON.stringify(spec)} failed for raw value ${JSON.stringify(raw)}: ${kind}${(err as Error).message}`);
  }
  return { value_raw: raw, value_cal: cal };
}

function pyFloatIfFloat(x: number): string {
  return Number.isInteger(x) ? String(x) : pyFloatStr(x);
}

function applyTable(table: Readonly<Record<string, unknown>>, raw: unknown): CalibratedValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const key = pyStr(raw);
  if (Object.hasOwn(table, key)) return { value_raw: raw, value_cal: table[key] };
  throw replyError(DriplineReplyError, ReturnCode.service_error_invalid_value, `raw value ${JSON.stringify(raw)} is not in the calibration map (keys: ${Object.keys(table).join(', ')})`);
}

/**
 * Python's str.format with one positional argument: `{}` and `{0}` (optionally with a `:.Nf`/`:.Ne`/`:.Ng`
 * spec) become the value, `{{` and `}}` literal braces. Other fields are errors, as in Python.
 */
export function formatTemplate(template: string, value: string): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (field === undefined) throw new ExpressionError('SyntaxError', `single '${m}' encountered in format string`);
    const [name, spec] = field.split(':', 2) as [string, string | undefined];
    if (name !== '' && name !== '0') throw new ExpressionError('SyntaxError', `format field {${field}} is not {} or {0}`);
    if (spec === undefined || spec === '') return value;
    const fmt = /^\.(\d+)([feg])$/.exec(spec);
    const n = Number(value);
    if (!fmt || !Number.isFinite(n)) throw new ExpressionError('SyntaxError', `format spec ":${spec}" is not supported (use :.Nf, :.Ne or :.Ng)`);
    const digits = Number(fmt[1]);
    return fmt[2] === 'f' ? n.toFixed(digits) : fmt[2] === 'e' ? n.toExponential(digits) : String(Number(n.toPrecision(Math.max(1, digits))));
  });
}
