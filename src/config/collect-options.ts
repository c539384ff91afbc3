import type { Project } from '../conf-types.ts';
import { collectCli } from './collect-cli.ts';
import { configIn, indexConfig } from './config-index.ts';
import { makeSpec, type ConfigModel, type OptionSpec } from './option-spec.ts';

export interface CollectInput {
  readonly names: readonly string[];
  readonly projects: readonly Project[];
  readonly cli: string | undefined;
  readonly versionFlag: boolean;
  readonly verboseFlag?: boolean;
}

/**
 * Gathers every option of the requested namespaces and the CLI's flags. Namespace `n` holds every CONFIG
 * entry of any project whose `dyne ?? project` is `n`. Namespaces a CLI flag writes to (via `source`) are
 * built as well, so a value given on the command line always has a home.
 */
export function collectOptions(input: CollectInput): ConfigModel {
  const index = indexConfig(input.projects);
  const cli = input.cli === undefined ? undefined : collectCli(input.cli, input.projects, index, input.versionFlag, input.verboseFlag);
  const onCli = new Map<string, OptionSpec>();
  for (const entry of cli?.entries ?? []) if (!onCli.has(entry.spec.id)) onCli.set(entry.spec.id, entry.spec);

  const namespaces = [...new Set([...input.names, ...[...onCli.values()].map((s) => s.ns)])];
  const options: OptionSpec[] = [];
  for (const ns of namespaces) {
    for (const ref of configIn(index, ns)) {
      const spec = makeSpec(ref.project, ref.ns, ref.key, ref.entry);
      options.push(onCli.get(spec.id) ?? spec);
      onCli.delete(spec.id);
    }
  }
  // what is left are CLI-only options (no CONFIG entry)
  options.push(...onCli.values());
  return { namespaces, options, cli };
}
