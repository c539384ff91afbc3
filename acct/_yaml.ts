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
import type * as YamlLib from 'yaml';
import type { Document, Node, Tags } from 'yaml';
import { requireCjs } from '../src/require-cjs.ts';
import { plainYaml } from './_plain-yaml.ts';
import { atLine, yamlProblem, type YamlProblem } from '../src/yaml-problem.ts';
import { AcctFormatError, AcctYamlError } from './_errors.ts';
import { assertPlainData, isPlainObject, kindOf, type AcctData } from './_file-format.ts';

const BOOL_TAG = 'tag:yaml.org,2002:bool';
const DROPPED = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:set', 'tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs']);
// PyYAML's resolver (yaml/resolver.py), which omits YAML 1.1's y/Y/n/N
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const MAX_ALIASES = 100;

// yaml (72 CommonJS files, ~33 ms of a process's start) loads on first use: `acct decrypt --output json` and
// `acct --help` never need it. require() is the instance a host importing 'yaml' gets (its `node` export is CJS).
let yamlLib: typeof YamlLib | undefined;
const yaml = (): typeof YamlLib => (yamlLib ??= requireCjs('yaml') as typeof YamlLib);

function pyYamlTags(tags: Tags): Tags {
  return tags
    .filter((t) => typeof t !== 'object' || !DROPPED.has(t.tag))
    .map((t) => {
      if (typeof t !== 'object' || t.tag !== BOOL_TAG || !('test' in t) || !t.test) return t;
      return { ...t, test: t.test.test('true') ? PY_TRUE : PY_FALSE };
    });
}

/**
 * Parses acct plaintext. An empty document is `{}`; anything but a mapping is an AcctFormatError. Every problem
 * is one AcctYamlError, `<file>: YAML syntax error at line L, column C: <what>`, whose text comes from the kind
 * of problem only: the source (which holds passwords) is never quoted.
 *
 * Stricter than YAML, because a password that starts with `!`, `&` or `*` otherwise turns silently into something
 * else (`password: !Hunter2` is an empty string with an unknown tag, `password: &Hunter2` is null): warnings are
 * errors (an unknown tag is one), every anchor must be used by an alias after it, and an alias must follow its
 * anchor. Anchors and merges used as intended (`<<: *base`) keep working. Duplicate keys are checked in linear
 * time (yaml's own check compares every pair: 40k keys took 31 s).
 */
export function parseAcctYaml(text: string, file: string): AcctData {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  // logLevel 'error': yaml otherwise prints process warnings that quote the document (a key, perhaps a secret)
  const doc = parseDocument(text, { version: '1.1', customTags: pyYamlTags, uniqueKeys: false, prettyErrors: true, lineCounter: lines, logLevel: 'error' });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw yamlError(file, yamlProblem(problem));
  const own = structureProblem(doc, text, lines);
  if (own) throw yamlError(file, own);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    // aliases were checked above, so what is left is the alias count; the message would name the anchor
    throw new AcctYamlError(`${file}: YAML cannot be loaded: ${yamlProblem({ code: 'RESOURCE_EXHAUSTION' }).what}`, { cause });
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

function yamlError(file: string, p: YamlProblem): InstanceType<typeof AcctYamlError> {
  return new AcctYamlError(`${file}: YAML syntax error${atLine(p)}: ${p.what}`);
}

/**
 * One walk over the document: keys become the text written (`on:`, `no:` or `1.0:` name a field, not true,
 * false or 1: PyYAML's classic trap), duplicate keys are found with one Set per mapping, and anchors and aliases
 * are paired up. Returns the first problem in document order.
 */
function structureProblem(doc: Document, text: string, lines: YamlLib.LineCounter): YamlProblem | undefined {
  const at = (node: Node | null | undefined, what: string, offset = node?.range?.[0]): YamlProblem => {
    const pos = offset === undefined ? undefined : lines.linePos(offset);
    return { line: pos?.line, col: pos?.col, what };
  };
  const { isAlias, isCollection, isMap, isScalar, visit } = yaml();
  let found: YamlProblem | undefined;
  const anchors = new Map<string, Array<{ node: Node; used: boolean }>>();
  const aliases: Array<{ name: string; node: Node }> = [];
  visit(doc, (_, node) => {
    if (isAlias(node)) aliases.push({ name: node.source, node });
    else if ((isScalar(node) || isCollection(node)) && node.anchor) {
      anchors.set(node.anchor, [...(anchors.get(node.anchor) ?? []), { node, used: false }]);
    }
    if (!isMap(node)) return undefined;
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key)) {
        // PyYAML refuses an unhashable key; yaml would stringify it (and warn quoting it): a mapping or list as a key
        found = at(key as Node, 'a key must be a plain value, not a mapping, a list or an alias');
        return visit.BREAK;
      }
      if (key.value !== null && typeof key.value !== 'string' && typeof key.source === 'string') key.value = key.source;
      if (key.value === '<<') continue; // merge keys may repeat
      const id = key.value === null ? '\u0000null' : String(key.value);
      if (seen.has(id)) {
        found = at(key, yamlProblem({ code: 'DUPLICATE_KEY' }).what);
        return visit.BREAK;
      }
      seen.add(id);
    }
    return undefined;
  });
  if (found) return found;
  for (const { name, node } of aliases) {
    // the anchor in effect is the last one that ends before the alias (an alias inside its own anchor is a loop)
    const target = anchors.get(name)?.filter((a) => a.node.range && node.range && a.node.range[2] <= node.range[0]).pop();
    if (!target) return at(node, 'an alias (*) without an anchor (&) before it; quote the value if it starts with *');
    target.used = true;
  }
  const unused = [...anchors.values()].flat().filter((a) => !a.used).sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0))[0];
  if (!unused) return undefined;
  const start = unused.node.range?.[0];
  // the node starts after its `&name`: point at the anchor itself
  const anchorAt = start === undefined ? undefined : text.lastIndexOf(`&${(unused.node as { anchor?: string }).anchor}`, start);
  return at(unused.node, 'an anchor (&) that no alias (*) uses; quote the value if it starts with &', anchorAt !== undefined && anchorAt >= 0 ? anchorAt : start);
}

/** Profiles as YAML (long tokens never folded) or as indented JSON, ending in a newline. */
export function renderProfiles(data: AcctData, format: 'yaml' | 'json'): string {
  return renderProfilesQuickly(data, format) ?? yaml().stringify(data, { lineWidth: 0, version: '1.1' });
}

/**
 * What renderProfiles gives, when it needs no `yaml` library: JSON, or YAML of plain profiles (strings, integers,
 * booleans, null). Linear and fast; undefined when the data needs the library's rendering.
 */
export function renderProfilesQuickly(data: AcctData, format: 'yaml' | 'json'): string | undefined {
  if (format === 'json') return `${JSON.stringify(data, jsonBytes, 2)}\n`;
  if (Object.keys(data).length === 0) return '{}\n';
  return plainYaml(data);
}

/** JSON has no bytes: show them the way Python's json cannot either, as base64 text. */
function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}
