import { ConfigChoiceError, ConfigTypeError } from '../errors.ts';
import type { OptionType } from '../conf-types.ts';
import { configError } from './config-error.ts';
import { optionLabel, showChoices, showValue, type Origin } from './option-label.ts';
import type { OptionSpec } from './option-spec.ts';

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);
const INTEGER = /^[+-]?\d+$/;

const EXPECTED: Record<OptionType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean (1/0, true/false, yes/no, on/off)',
  array: 'a list (JSON array)',
  object: 'an object (JSON)',
};

class Mismatch {
  constructor(readonly expected: string) {}
}

/**
 * Turns a value from the command line (string or list of strings), the environment (string) or the config file
 * (any YAML value) into the option's type, then checks its choices. Throws ConfigTypeError / ConfigChoiceError.
 */
export function coerceValue(value: unknown, spec: OptionSpec, origin: Origin): unknown {
  let out: unknown;
  try {
    out = spec.list ? toList(value, spec.elemType, origin) : toScalar(value, spec.type);
  } catch (err) {
    if (!(err instanceof Mismatch)) throw err;
    const got = spec.secret ? '' : `, got ${showValue(spec, value)}`;
    throw configError(ConfigTypeError, `${optionLabel(spec, origin)}: expected ${err.expected}${got}`);
  }
  checkChoices(out, spec, origin);
  checkRange(out, spec, origin);
  return out;
}

function checkRange(value: unknown, spec: OptionSpec, origin: Origin): void {
  if (spec.min === undefined && spec.max === undefined) return;
  for (const item of spec.list && Array.isArray(value) ? value : [value]) {
    if (typeof item !== 'number') continue;
    const low = spec.min !== undefined && item < spec.min;
    const high = spec.max !== undefined && item > spec.max;
    if (!low && !high) continue;
    const range = spec.max === undefined ? `at least ${spec.min}` : spec.min === undefined ? `at most ${spec.max}` : `from ${spec.min} to ${spec.max}`;
    const got = spec.secret ? '' : `, got ${showValue(spec, item)}`;
    throw configError(ConfigTypeError, `${optionLabel(spec, origin)}: must be ${range}${got}`);
  }
}

function checkChoices(value: unknown, spec: OptionSpec, origin: Origin): void {
  if (!spec.choices) return;
  for (const item of spec.list && Array.isArray(value) ? value : [value]) {
    if (!spec.choices.includes(item)) {
      const msg = `${optionLabel(spec, origin)}: ${showValue(spec, item)} is not one of: ${showChoices(spec.choices)}`;
      throw configError(ConfigChoiceError, msg);
    }
  }
}

function toList(value: unknown, elemType: OptionType | undefined, origin: Origin): unknown[] {
  let items = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) items = parseJson(text, EXPECTED.array);
    else if (origin.kind === 'cli') throw new Mismatch(EXPECTED.array);
    else items = text === '' ? [] : text.split(',').map((s) => s.trim());
  }
  if (!Array.isArray(items)) throw new Mismatch(origin.kind === 'cli' ? EXPECTED.array : 'a list (JSON array or a,b,c)');
  return items.map((item) => toScalar(item, elemType));
}

function toScalar(value: unknown, type: OptionType | undefined): unknown {
  // An untyped option (no type, no default) keeps what it is given.
  if (type === undefined) return value;
  if (typeof value === 'string') return fromText(value, type);
  switch (type) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'integer':
      if (Number.isInteger(value)) return value;
      break;
    case 'number':
      if (typeof value === 'number') return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'array':
      if (Array.isArray(value)) return value;
      break;
    case 'object':
      if (isObject(value)) return value;
      break;
  }
  throw new Mismatch(EXPECTED[type]);
}

function fromText(text: string, type: OptionType): unknown {
  const t = text.trim();
  switch (type) {
    case 'string':
      return text;
    case 'integer':
      if (INTEGER.test(t)) return Number(t);
      break;
    case 'number':
      if (t !== '' && Number.isFinite(Number(t))) return Number(t);
      break;
    case 'boolean':
      if (TRUE.has(t.toLowerCase())) return true;
      if (FALSE.has(t.toLowerCase())) return false;
      break;
    case 'array': {
      const v = parseJson(t, EXPECTED.array);
      if (Array.isArray(v)) return v;
      break;
    }
    case 'object': {
      const v = parseJson(t, EXPECTED.object);
      if (isObject(v)) return v;
      break;
    }
  }
  throw new Mismatch(EXPECTED[type]);
}

function parseJson(text: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Mismatch(expected);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
