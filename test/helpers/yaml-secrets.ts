/**
 * YAML documents that carry a secret in every position where a parser can fail or misread it: keys, values,
 * quotes, flow and block collections, block scalars, tags, anchors, aliases, directives, comments, indentation.
 * The secret's core is letters and digits (so a message that quotes any part of the source shows it); around it
 * go YAML's indicator characters. Used by the acct and config parser tests and by the CLI tests.
 */
import fc from 'fast-check';

const INDICATORS = ['', '', '*', '&', '!', '!!', '%', '@', '`', '|', '>', '"', "'", '[', '{', ']', '}', '? ', '- ', '\t', '\\', ': ', ' #', ',', '<<', '---', '\\q', '&a ', '!a ', '*a'];

/** `S` is replaced by the secret (indicators around its core). */
const TEMPLATES = [
  'S: x\n', 'a: S\n', 'a:\n  S: x\n', 'a:\n  b: S\n', 'a:\n  b:\n    password: S\n', 'a: [S]\n', 'a: [x, S\n', 'a: {S: 1}\n',
  'a: {b: S\n', 'a: "S"\n', 'a: "S\n', "a: 'S'\n", "a: 'S\n", 'a: |\n  S\n', 'a: >\n S\nb: 1\n', 'a: |S\n  x\n', '%YAML S\n---\na: 1\n',
  '%TAG ! S\n---\na: 1\n', 'a: !S x\n', 'a: !S\n', 'a: &S\n', 'a: &S x\n', 'a: *S\n', 'a: &x 1\nb: *S\n', 'a:\n- S\n', 'a:\n  - S\n - x\n',
  'S\n', 'a: b\nS', 'a:\n  b: 1\n S: 2\n', 'a: "\\S"\n', 'a: x # S\n', '? S\n: x\n', 'a: S: b\n', 'a:\n\tb: S\n', 'S: 1\nS: 2\n',
  'a:\n  b: S\n  b: S\n', '- S\n', 'a: [S]: 1\n', 'a: S\n---\nb: S\n', 'a: !!int S\n', 'a: !!binary S\n', 'a: !!float S\n',
  'a:\n  b: |\n    S\n   c\n', 'a: `S`\n', 'a: @S\n', '"S": x\n', "'S: x\n", 'a: "x" S\n', 'a: [S, {b: S]\n',
];

export interface SecretDoc {
  /** The letters-and-digits part, which must never appear in a message. */
  readonly core: string;
  readonly text: string;
}

/** fast-check arbitrary of documents with a secret. */
export const secretDoc: fc.Arbitrary<SecretDoc> = fc
  .record({
    core: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{11,23}$/),
    before: fc.constantFrom(...INDICATORS),
    after: fc.constantFrom(...INDICATORS),
    template: fc.constantFrom(...TEMPLATES),
  })
  .map(({ core, before, after, template }) => ({ core, text: template.split('S').join(`${before}${core}${after}`) }));

/** Every template once, with fixed indicators: for the (slower) CLI tests. */
export function everyTemplate(core: string): string[] {
  return TEMPLATES.flatMap((t, i) => {
    const before = INDICATORS[(i * 7) % INDICATORS.length] as string;
    const after = INDICATORS[(i * 3 + 1) % INDICATORS.length] as string;
    return [t.split('S').join(core), t.split('S').join(`${before}${core}${after}`)];
  });
}
