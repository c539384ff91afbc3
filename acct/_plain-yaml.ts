/**
 * `acct decrypt`'s YAML for the common case without loading `yaml`, which is 72 CommonJS files: requiring it was
 * ~20 ms of a ~170 ms decrypt of a small file (the CLI start goal of issue 7 is 2.5x `node -e 0`).
 *
 * It writes exactly what `yaml.stringify(data, { lineWidth: 0, version: '1.1' })` writes, for the values whose
 * rendering is simple to be sure of: maps and lists, safe integers, booleans, null, and strings that yaml prints
 * plain (`host: localhost`, `password: 4xq7`) or in plain double quotes (`note: "a: b"`). Anything else (a string
 * that may read as a YAML 1.1 number or timestamp, `port: '5672'`, or as a boolean or null in any case, control characters, newlines, quotes that
 * need escaping, bytes, floats, an object seen twice, which yaml would write as an alias) makes it return
 * undefined and the caller uses yaml itself. test/acct/plain-yaml.test.ts compares both on generated data.
 */

/** Any case of a word a YAML 1.1 schema reads as a boolean or null: yaml quotes some of them; left to yaml. */
const WORDISH = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
/** yaml's own test (stringifyString.ts, plainString) for a string that cannot be plain: it quotes it then. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/**
 * Printable text yaml writes as it is, plain or between double quotes: no escapes, no surrogates, no line breaks,
 * U+2028/U+2029 included (JavaScript's `^` in yaml's multiline tests matches after them).
 */
const SIMPLE_TEXT = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufffd]*$/;
/**
 * A first character that no YAML 1.1 type (numbers, timestamps, .inf, merge keys) nor a document marker starts
 * with. Not e/E: `e5` is a float to YAML 1.1.
 */
const WORD_START = /^[A-DF-Za-df-z_/\u00a0-\u2027\u202a-\ud7ff\ue000-\ufffd]/;
/** A start that numbers and timestamps share ('-' and '.' are left to yaml: `---`, `...`, `-.inf`). */
const NUMBER_START = /^[0-9+eE]/;
/** A character that no YAML 1.1 number or timestamp holds: a string with one is text whatever it starts with. */
const NOT_NUMERIC = /[^0-9_.eE+\-bxa-fA-FtTZ: \t]/;
/** yaml makes a longer key explicit (`? key`). */
const MAX_KEY = 1024;
const MAX_DEPTH = 100;

class Unsure extends Error {}

/** The YAML document of `data` (a non-empty mapping), or undefined when it is for yaml to write. */
export function plainYaml(data: Readonly<Record<string, unknown>>): string | undefined {
  const seen = new Set<object>();
  try {
    return `${block(data, '', seen, 0)}\n`;
  } catch (err) {
    if (err instanceof Unsure) return undefined;
    throw err;
  }
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  return undefined;
}

function text(s: string): string {
  if (!SIMPLE_TEXT.test(s) || WORDISH.test(s)) throw new Unsure();
  if (s === '' || NOT_PLAIN.test(s)) {
    if (s.includes('"') || s.includes('\\')) throw new Unsure();
    return `"${s}"`;
  }
  if (WORD_START.test(s) || (NUMBER_START.test(s) && NOT_NUMERIC.test(s))) return s;
  throw new Unsure();
}

function key(k: string): string {
  const s = text(k);
  if (s.length > MAX_KEY) throw new Unsure();
  return s;
}

/** A collection whose first line goes where the caller put it, the rest at `indent`. */
function block(value: object, indent: string, seen: Set<object>, depth: number): string {
  if (seen.has(value) || depth > MAX_DEPTH) throw new Unsure();
  seen.add(value);
  const inner = `${indent}  `;
  const lines: string[] = [];
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new Unsure();
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new Unsure();
      lines.push(`- ${nested(value[i], inner, seen, depth, ' ')}`);
    }
    return lines.length === 0 ? '[]' : lines.join(`\n${indent}`);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length > 0) throw new Unsure();
  for (const [k, v] of Object.entries(value)) lines.push(`${key(k)}:${nested(v, inner, seen, depth, '\n')}`);
  return lines.length === 0 ? '{}' : lines.join(`\n${indent}`);
}

/**
 * A value after `key:` or `- `: a scalar or an empty collection on the same line; a map or list on the next lines
 * after a key (`sep` '\n'), or right after the dash of a list item (`sep` ' ').
 */
function nested(value: unknown, indent: string, seen: Set<object>, depth: number, sep: '\n' | ' '): string {
  if (value === undefined || typeof value !== 'object' || value === null) {
    const s = scalar(value);
    if (s === undefined) throw new Unsure();
    return sep === '\n' ? ` ${s}` : s;
  }
  if (ArrayBuffer.isView(value)) throw new Unsure();
  const body = block(value, indent, seen, depth + 1);
  if (body === '[]' || body === '{}') return sep === '\n' ? ` ${body}` : body;
  return sep === '\n' ? `\n${indent}${body}` : body;
}
