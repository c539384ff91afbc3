/**
 * The plaintext side of acct files: YAML in (what users write), YAML or JSON out (`acct decrypt`, `acct edit`).
 *
 * "Rendering" is a plain YAML parse: Python acct runs its render pipe (`jinja|yaml` by default in 8.x) first; we do
 * not run templates, so a file that relies on Jinja must be rendered before `acct encrypt`.
 *
 * Parsing follows PyYAML's `safe_load`, so one YAML file means the same thing to both tools: YAML 1.1 scalars
 * (`yes`/`on` are true, `0777` is octal, `<<` merges) with PyYAML's narrower booleans (`y`/`n` stay strings).
 * Safer than PyYAML: mapping keys are the text written (`on:` is "on", not True); duplicate keys are an error
 * instead of "last one wins"; timestamps stay strings (PyYAML makes
 * dates, which Python acct then fails to pack); `!!set`/`!!omap`/`!!pairs` are not resolved. Known difference:
 * a float with an integral value (`1.0`) is stored as the integer 1.
 */
import { isScalar, parseDocument, stringify, visit, type Tags } from 'yaml';
import { AcctFormatError, AcctYamlError } from './_errors.ts';
import { assertPlainData, isPlainObject, kindOf, type AcctData } from './_file-format.ts';

const BOOL_TAG = 'tag:yaml.org,2002:bool';
const DROPPED = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:set', 'tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs']);
// PyYAML's resolver (yaml/resolver.py), which omits YAML 1.1's y/Y/n/N
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

function pyYamlTags(tags: Tags): Tags {
  return tags
    .filter((t) => typeof t !== 'object' || !DROPPED.has(t.tag))
    .map((t) => {
      if (typeof t !== 'object' || t.tag !== BOOL_TAG || !('test' in t) || !t.test) return t;
      return { ...t, test: t.test.test('true') ? PY_TRUE : PY_FALSE };
    });
}

/**
 * Parses acct plaintext. An empty document is `{}`; anything but a mapping is an AcctFormatError. Syntax errors
 * become one AcctYamlError: `<file>: YAML syntax error at line L, column C: <what>`, without the source line that
 * `yaml` would quote (it may hold a password).
 */
export function parseAcctYaml(text: string, file: string): AcctData {
  const doc = parseDocument(text, { version: '1.1', customTags: pyYamlTags, uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new AcctYamlError(`${file}: YAML syntax error${at}: ${what}`);
  }
  // Keys stay the text written: `on:`, `no:` or `1.0:` name a field, not true, false or 1 (PyYAML's classic trap).
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isScalar(key) && key.value !== null && typeof key.value !== 'string' && typeof key.source === 'string') key.value = key.source;
    },
  });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new AcctYamlError(`${file}: YAML cannot be loaded: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) throw new AcctFormatError(`${file}: the YAML is ${kindOf(data)}, not a mapping of profiles`);
  try {
    assertPlainData(data);
  } catch (cause) {
    throw new AcctFormatError(`${file}: ${(cause as Error).message}`, { cause });
  }
  return data;
}

/** Profiles as YAML (long tokens never folded) or as indented JSON, ending in a newline. */
export function renderProfiles(data: AcctData, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(data, jsonBytes, 2)}\n`;
  if (Object.keys(data).length === 0) return '{}\n';
  return stringify(data, { lineWidth: 0, version: '1.1' });
}

/** JSON has no bytes: show them the way Python's json cannot either, as base64 text. */
function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}
