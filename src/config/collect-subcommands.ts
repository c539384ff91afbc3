import type { Project } from '../conf-types.ts';
import { ConfigDefinitionError } from '../errors.ts';
import { configError } from './config-error.ts';
import { definedBy } from './config-index.ts';
import { cliFirst, onCli } from './dyne-targets.ts';
import type { SubcommandSpec } from './option-spec.ts';

/** SUBCOMMANDS of the CLI project plus those other projects add to it with `dyne`. */
export function collectSubcommands(cli: string, projects: readonly Project[]): SubcommandSpec[] {
  const found = new Map<string, SubcommandSpec>();
  const confOf = new Map<string, string>();
  for (const project of cliFirst(projects, cli)) {
    for (const [name, def] of Object.entries(project.conf.SUBCOMMANDS)) {
      if (!onCli(def.dyne, project.name, cli)) continue;
      const seen = found.get(name);
      if (seen) {
        const first = definedBy(seen.project, confOf.get(name)!);
        throw configError(ConfigDefinitionError, `subcommand ${name} of ${cli} is defined twice, by ${first} and ${definedBy(project.name, project.confPath)}`);
      }
      found.set(name, { name, project: project.name, help: def.help, desc: def.desc });
      confOf.set(name, project.confPath);
    }
  }
  return [...found.values()];
}
