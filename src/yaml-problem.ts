/**
 * A YAML parser problem as text that never quotes the source. The `yaml` package's messages often do
 * (`Unresolved tag: !Hunter2Secret`, `Invalid escape sequence \q...`, the code frame of prettyErrors), and the
 * files tspop parses (acct plaintext, config files) hold passwords and keys. So the text is chosen by the error's
 * stable `code` alone, and the place is given as line and column.
 */
import type { ErrorCode, YAMLError } from 'yaml';

const WHAT: Record<ErrorCode, string> = {
  ALIAS_PROPS: 'an alias (*) cannot have a tag or an anchor',
  BAD_ALIAS: 'a bad alias (*) or anchor (&) name',
  BAD_DIRECTIVE: 'a bad % directive',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'an anchor (&) or tag (!) in the wrong place',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote the value)',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection used as a key',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection ([ ] or { })',
  DUPLICATE_KEY: 'a duplicate key',
  IMPOSSIBLE: 'a structure YAML does not allow',
  KEY_OVER_1024_CHARS: 'an implicit key longer than 1024 characters',
  MISSING_CHAR: 'a missing character (quote, bracket, comma, colon or space)',
  MULTILINE_IMPLICIT_KEY: 'a key spread over several lines',
  MULTIPLE_ANCHORS: 'more than one anchor (&) on one value',
  MULTIPLE_DOCS: 'more than one document (---)',
  MULTIPLE_TAGS: 'more than one tag (!) on one value',
  NON_STRING_KEY: 'a key that is not a string',
  RESOURCE_EXHAUSTION: 'too many aliases (*): refused as a resource exhaustion attack',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'an unknown or unusable tag (!); quote the value if it starts with !',
  UNEXPECTED_TOKEN: 'unexpected text',
  BAD_COLLECTION_TYPE: 'a tag that does not fit this collection',
};

export interface YamlProblem {
  /** 1-based, when the parser knows the place. */
  readonly line: number | undefined;
  readonly col: number | undefined;
  /** What is wrong, in words that never include the document's text. */
  readonly what: string;
}

/** The place and the kind of a `yaml` error or warning, for messages that name the file. */
export function yamlProblem(err: Pick<YAMLError, 'code' | 'linePos'>): YamlProblem {
  const pos = err.linePos?.[0];
  return { line: pos?.line, col: pos?.col, what: WHAT[err.code] ?? 'a YAML error' };
}

/** ` at line L, column C` (or '' when unknown). */
export function atLine(p: Pick<YamlProblem, 'line' | 'col'>): string {
  return p.line === undefined ? '' : ` at line ${p.line}, column ${p.col ?? 1}`;
}
