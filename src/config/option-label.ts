import { looksSecret } from '../redact.ts';
import type { OptionSpec } from './option-spec.ts';

/** What a usage message says in place of a word that looks like a key. */
export const KEY_LIKE_WORD = '[a word that looks like a key, not shown]';

/** Where a value came from, for error messages. */
export type Origin =
  | { readonly kind: 'cli' }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'kv' };

/** `option --acct-key (ACCT_KEY)`: names the option by flag (or `ns.key`) and the env var or file it came from. */
export function optionLabel(spec: OptionSpec, origin: Origin): string {
  const name = spec.flag ?? spec.id;
  const what = name.startsWith('<') ? `argument ${name}` : `option ${name}`;
  if (origin.kind === 'env') return `${what} (${origin.name})`;
  if (origin.kind === 'file') return `${what} (${spec.id} in ${origin.path})`;
  if (origin.kind === 'kv') return `${what} (${spec.id} in the kv store)`;
  return what;
}

/** A value for an error message: never a secret's, always one short line. */
export function showValue(spec: OptionSpec, value: unknown): string {
  if (spec.secret) return 'the value';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (looksSecret(text)) return KEY_LIKE_WORD;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A word of the command line, quoted, for a usage message; never one that looks like a key. */
export function showWord(word: string): string {
  return looksSecret(word) ? KEY_LIKE_WORD : JSON.stringify(word);
}

/** `a, b, c` for an error or help line. */
export function showChoices(choices: readonly unknown[]): string {
  return choices.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(', ');
}
