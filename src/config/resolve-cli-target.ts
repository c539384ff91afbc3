import type { CliOption, Project } from '../conf-types.ts';
import { ConfigDefinitionError } from '../errors.ts';
import { configError } from './config-error.ts';
import { findConfig, type ConfigIndex, type ConfigRef } from './config-index.ts';
import { makeSpec, type OptionSpec } from './option-spec.ts';

/**
 * The option a CLI_CONFIG entry `key` of `project` sets on CLI `cli`:
 * - with `source`: CONFIG `key` landing in namespace `source`, else project `source`'s CONFIG `key`;
 * - without: the project's own CONFIG `key`, else one landing in the project's namespace, else (for an entry
 *   added to another CLI with `dyne`) one in the CLI's namespace, as pop-config defaults `source` to the dyne.
 * No CONFIG entry: a CLI-only option if the entry has its own `default`/`help` (landing in `source` or the
 * CLI's namespace), else a ConfigDefinitionError.
 */
export function resolveCliTarget(
  index: ConfigIndex,
  projects: readonly Project[],
  project: string,
  key: string,
  entry: CliOption,
  cli: string,
): OptionSpec {
  const ref = entry.source !== undefined
    ? findConfig(index, entry.source, key) ?? ownConfig(index, projects, entry.source, key)
    : ownConfig(index, projects, project, key) ?? findConfig(index, project, key) ?? findConfig(index, cli, key);
  if (ref) return makeSpec(ref.project, ref.ns, ref.key, ref.entry);
  if ('default' in entry || entry.help !== undefined) {
    const { default: def, help, type, choices } = entry;
    return makeSpec(project, entry.source ?? cli, key, { default: def, help, type, choices });
  }
  const where = entry.source !== undefined ? `${entry.source}'s CONFIG` : 'CONFIG';
  const elsewhere = [...index.values()].flatMap((keys) => keys.get(key) ?? []).map((r) => r.ns);
  const hint = elsewhere.length > 0 ? `set source to ${elsewhere.map((n) => JSON.stringify(n)).join(' or ')}` : 'add one';
  throw configError(
    ConfigDefinitionError,
    `${project} CLI_CONFIG.${key}: no ${where} entry "${key}" (${hint}, or give the CLI entry its own default/help)`,
  );
}

/** Project `name`'s own CONFIG `key`, wherever its `dyne` lands it (checked unique there). */
function ownConfig(index: ConfigIndex, projects: readonly Project[], name: string, key: string): ConfigRef | undefined {
  const project = projects.find((p) => p.name === name);
  if (!project || !Object.hasOwn(project.conf.CONFIG, key)) return undefined;
  return findConfig(index, project.conf.CONFIG[key]!.dyne ?? name, key);
}
