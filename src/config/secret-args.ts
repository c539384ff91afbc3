import { allFlags } from './check-flags.ts';
import type { CliModel, OptionSpec } from './option-spec.ts';

/**
 * The values a command line gives to secret options (`--acct-key K`, `--acct-key=K`, `-kK`), read from the raw
 * words before any parsing, so that even a line that fails to parse can be reported without them.
 */
export function secretArgs(cli: CliModel, argv: readonly string[]): string[] {
  const flags = new Set(cli.entries.filter((e) => e.spec.secret && !e.positional && !e.switch).flatMap(allFlags));
  if (flags.size === 0) return [];
  const out: string[] = [];
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  words.forEach((word, i) => {
    const eq = word.indexOf('=');
    if (word.startsWith('--') && eq > 0 && flags.has(word.slice(0, eq))) out.push(word.slice(eq + 1));
    else if (flags.has(word) && i + 1 < words.length) out.push(words[i + 1] as string);
    else if (/^-[^-]./.test(word) && flags.has(word.slice(0, 2))) out.push(word.slice(2));
  });
  return out.filter((v) => v !== '');
}

/** Secret options' values as set from any source (strings only: that is what a message could show). */
export function secretValues(options: readonly OptionSpec[], opt: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  return options.filter((s) => s.secret).map((s) => opt[s.ns]?.[s.key]).filter((v): v is string => typeof v === 'string' && v !== '');
}
