import { CONFIG_FLAG, HELP_FLAGS, VERBOSE_FLAG, VERSION_FLAG, entriesFor, positionalsFor } from './check-flags.ts';
import { positionalRequired } from './argv-capture.ts';
import { showChoices } from './option-label.ts';
import { isListNargs, type CliEntry, type CliModel, type ConfigModel, type OptionSpec } from './option-spec.ts';

type Row = readonly [left: string, right: string];
interface Section {
  readonly title: string;
  readonly rows: Row[];
}

const MAX_LEFT = 34;

/**
 * Help for the CLI (or one subcommand): usage, arguments, options by `group`, subcommands, and the options that
 * only a config file or env var can set. Every option shows its help, `[env: X]` and `[default: v]`; a secret's
 * default is never shown.
 */
export function formatHelp(model: ConfigModel, cli: CliModel, programName: string, subcommand?: string, requested?: readonly string[]): string {
  const sub = cli.subcommands.find((s) => s.name === subcommand);
  const positionals = positionalsFor(cli, sub?.name);
  const out = [`Usage: ${usage(cli, programName, sub?.name, positionals)}`];
  const about = sub ? sub.desc ?? sub.help : undefined;
  if (about) out.push('', about);

  const sections: Section[] = [];
  if (positionals.length > 0) sections.push({ title: 'Arguments', rows: positionals.map((e) => [e.key, describe(e.spec)]) });
  const builtins = builtinRows(cli, sub === undefined);
  if (sub) {
    sections.push(...grouped(cli.entries.filter((e) => !e.positional && !e.top && e.subcommands.includes(sub.name)), []));
    const globals = entriesFor(cli, undefined).filter((e) => !e.positional);
    sections.push({ title: 'Global Options', rows: [...builtins, ...globals.map(flagRow)] });
  } else {
    sections.push(...grouped(entriesFor(cli, undefined).filter((e) => !e.positional), builtins));
    if (cli.subcommands.length > 0) {
      sections.push({ title: 'Commands', rows: cli.subcommands.map((s) => [s.name, s.help ?? s.desc ?? '']) });
    }
    const onCli = new Set(cli.entries.map((e) => e.spec.id));
    // only the namespaces this CLI asked for (a shared flag pulls in its namespace, not its siblings), and only
    // what the CLI's own project defines, or the project the namespace is named after: a host's `acct_profile`
    // (dyne acct) is not for tspop's acct CLI to show
    const wanted = new Set(requested ?? model.namespaces);
    const own = (s: OptionSpec) => cli.owner === undefined || s.project === cli.owner || s.project === s.ns;
    const fileOnly = model.options.filter((s) => !onCli.has(s.id) && wanted.has(s.ns) && own(s));
    if (fileOnly.length > 0) {
      sections.push({ title: 'Config file and environment only', rows: fileOnly.map((s) => [s.id, describe(s)]) });
    }
  }
  return `${[...out, ...render(sections)].join('\n')}\n`;
}

function usage(cli: CliModel, programName: string, sub: string | undefined, positionals: readonly CliEntry[]): string {
  const parts = [programName, ...(sub ? [sub] : []), '[options]'];
  if (!sub && cli.subcommands.length > 0) parts.push('[command]');
  for (const e of positionals) {
    const name = `${e.key}${isListNargs(e.nargs) ? '...' : ''}`;
    parts.push(positionalRequired(e) ? `<${name}>` : `[${name}]`);
  }
  return parts.join(' ');
}

function builtinRows(cli: CliModel, top: boolean): Row[] {
  const rows: Row[] = [[HELP_FLAGS.join(', '), 'show this help and exit']];
  if (cli.versionFlag && top) rows.push([VERSION_FLAG, 'show the version and exit']);
  if (cli.builtinConfigFlag) rows.push([`${CONFIG_FLAG} <path>`, 'read option values from this YAML file']);
  if (cli.builtinVerboseFlag) rows.push([VERBOSE_FLAG, 'on errors, also print the stack trace']);
  return rows;
}

/** Options under their `group` titles, in first-seen order; ungrouped ones (and `first`) under "Options". */
function grouped(entries: readonly CliEntry[], first: readonly Row[]): Section[] {
  const groups = new Map<string, Row[]>([['Options', [...first]]]);
  for (const entry of entries) {
    const title = entry.group ?? 'Options';
    groups.set(title, [...(groups.get(title) ?? []), flagRow(entry)]);
  }
  return [...groups].filter(([, rows]) => rows.length > 0).map(([title, rows]) => ({ title, rows }));
}

function flagRow(entry: CliEntry): Row {
  const short = entry.flags.filter((f) => !f.startsWith('--'));
  const long = entry.flags.filter((f) => f.startsWith('--'));
  const flags = [...short, ...long, ...(entry.negFlag ? [entry.negFlag] : [])].join(', ');
  return [entry.switch ? flags : `${flags} ${metavar(entry)}`, describe(entry.spec)];
}

function metavar(entry: CliEntry): string {
  if (entry.nargs === '?') return `[${entry.key}]`;
  if (entry.nargs === '*') return `[${entry.key}...]`;
  if (isListNargs(entry.nargs)) return `<${entry.key}...>`;
  return `<${entry.key}>`;
}

function describe(spec: OptionSpec): string {
  const parts = spec.help ? [spec.help] : [];
  if (spec.choices) parts.push(`[choices: ${showChoices(spec.choices)}]`);
  if (spec.min !== undefined) parts.push(`[min: ${spec.min}]`);
  if (spec.max !== undefined) parts.push(`[max: ${spec.max}]`);
  if (spec.env) parts.push(`[env: ${spec.env}]`);
  const shown = showDefault(spec);
  if (shown !== undefined) parts.push(`[default: ${shown}]`);
  return parts.join(' ');
}

function showDefault(spec: OptionSpec): string | undefined {
  if (spec.secret || !spec.hasDefault || spec.default === null || spec.default === undefined) return undefined;
  const value = spec.default;
  if (typeof value === 'string') return value === '' || /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'function') return '<function>';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function render(sections: readonly Section[]): string[] {
  const width = Math.min(MAX_LEFT, Math.max(0, ...sections.flatMap((s) => s.rows.map(([left]) => left.length)))) + 2;
  const out: string[] = [];
  for (const { title, rows } of sections) {
    out.push('', `${title}:`);
    for (const [left, right] of rows) {
      if (!right) out.push(`  ${left}`);
      else if (left.length + 2 > width) out.push(`  ${left}`, `  ${' '.repeat(width)}${right}`);
      else out.push(`  ${left.padEnd(width)}${right}`);
    }
  }
  return out;
}
