import type { CliOption, Project } from '../conf-types.ts';
import { ConfigDefinitionError } from '../errors.ts';
import { collectSubcommands } from './collect-subcommands.ts';
import { configError } from './config-error.ts';
import type { ConfigIndex } from './config-index.ts';
import { cliFirst, onCli } from './dyne-targets.ts';
import { flagNames, negatedFlag } from './flag-names.ts';
import { mergeCli, type CliEntry, type CliModel, type SubcommandSpec } from './option-spec.ts';
import { resolveCliTarget } from './resolve-cli-target.ts';
import { checkFlags } from './check-flags.ts';

/** `_` puts a flag on the top level too; pop-config's `_global_` on the top level and every subcommand. */
const TOP = '_';
const GLOBAL = '_global_';

/** The flags, positionals and subcommands of CLI `cli`: its own CLI_CONFIG plus entries others add with `dyne`. */
export function collectCli(cli: string, projects: readonly Project[], index: ConfigIndex, versionFlag: boolean, verboseFlag = false): CliModel {
  const subcommands = collectSubcommands(cli, projects);
  const entries: CliEntry[] = [];
  let known = projects.some((p) => p.name === cli) || subcommands.length > 0;
  for (const project of cliFirst(projects, cli)) {
    for (const [key, entry] of Object.entries(project.conf.CLI_CONFIG)) {
      if (!onCli(entry.dyne, project.name, cli)) continue;
      known = true;
      entries.push(cliEntry(project.name, key, entry, cli, projects, index, subcommands));
    }
  }
  if (!known) {
    throw configError(ConfigDefinitionError, `cli ${cli}: no project of that name and no CLI_CONFIG or SUBCOMMANDS entry adds to it`);
  }
  const model: CliModel = {
    name: cli,
    entries,
    subcommands,
    builtinConfigFlag: !entries.some((e) => e.key === 'config' && !e.positional),
    versionFlag,
    builtinVerboseFlag: verboseFlag && !entries.some((e) => e.key === 'verbose' && !e.positional),
    owner: projects.some((p) => p.name === cli) ? cli : entries[0]?.project ?? subcommands[0]?.project,
  };
  checkFlags(model);
  return model;
}

function cliEntry(
  project: string,
  key: string,
  entry: CliOption,
  cli: string,
  projects: readonly Project[],
  index: ConfigIndex,
  subcommands: readonly SubcommandSpec[],
): CliEntry {
  const positional = entry.positional === true;
  const names = positional ? { flags: [], hidden: [] } : flagNames(project, key, entry.options);
  const spec = mergeCli(resolveCliTarget(index, projects, project, key, entry, cli), entry, names.flags[0] ?? `<${key}>`);
  // a boolean option is a switch with a --no-x twin; store_true/store_false/count are switches as in argparse
  const booleanSwitch = !positional && entry.action === undefined && entry.nargs === undefined && spec.type === 'boolean';
  const isSwitch = booleanSwitch || (!positional && ['store_true', 'store_false', 'count'].includes(entry.action ?? ''));
  const { top, subs } = placement(project, key, entry, subcommands);
  return {
    project,
    key,
    spec,
    flags: names.flags,
    hiddenFlags: names.hidden,
    negFlag: booleanSwitch ? negatedFlag(key) : undefined,
    positional,
    switch: isSwitch,
    nargs: entry.nargs,
    action: entry.action,
    top,
    subcommands: subs,
    group: entry.group,
  };
}

function placement(project: string, key: string, entry: CliOption, subcommands: readonly SubcommandSpec[]) {
  const raw = entry.subcommands as readonly string[] | string | undefined;
  if (raw === undefined) return { top: true, subs: [] };
  const wanted = typeof raw === 'string' ? [raw] : raw;
  if (wanted.includes(GLOBAL)) return { top: true, subs: subcommands.map((s) => s.name) };
  const subs: string[] = [];
  for (const name of wanted) {
    if (name === TOP) continue;
    if (!subcommands.some((s) => s.name === name)) {
      throw configError(ConfigDefinitionError, `${project} CLI_CONFIG.${key}: unknown subcommand "${name}" in subcommands`);
    }
    subs.push(name);
  }
  return { top: wanted.includes(TOP), subs };
}
