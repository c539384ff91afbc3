/** pop-config's special dyne: the entry goes onto whichever project is the CLI. */
const ANY_CLI = '__cli__';

/** True when a CLI_CONFIG/SUBCOMMANDS entry of `project` belongs on the CLI `cli`. */
export function onCli(dyne: string | readonly string[] | undefined, project: string, cli: string): boolean {
  if (dyne === undefined) return project === cli;
  const targets = typeof dyne === 'string' ? [dyne] : dyne;
  return targets.includes(cli) || targets.includes(ANY_CLI);
}

/** Projects with the CLI's own project first, so its flags and subcommands come first in help and positionals. */
export function cliFirst<T extends { readonly name: string }>(projects: readonly T[], cli: string): T[] {
  return [...projects.filter((p) => p.name === cli), ...projects.filter((p) => p.name !== cli)];
}
