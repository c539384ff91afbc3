import type { ConfigOption, Project } from '../conf-types.ts';
import { ConfigDefinitionError } from '../errors.ts';
import { configError } from './config-error.ts';

/** A CONFIG entry and the namespace it lands in (`entry.dyne ?? project`). */
export interface ConfigRef {
  readonly project: string;
  /** The conf file defining it, for errors: two copies of a project share its name. */
  readonly confPath: string;
  readonly ns: string;
  readonly key: string;
  readonly entry: ConfigOption;
}

/** Every CONFIG entry of every project, by namespace then key. */
export type ConfigIndex = ReadonlyMap<string, ReadonlyMap<string, readonly ConfigRef[]>>;

export function indexConfig(projects: readonly Project[]): ConfigIndex {
  const index = new Map<string, Map<string, ConfigRef[]>>();
  for (const project of projects) {
    for (const [key, entry] of Object.entries(project.conf.CONFIG)) {
      const ns = entry.dyne ?? project.name;
      let keys = index.get(ns);
      if (!keys) index.set(ns, (keys = new Map()));
      const refs = keys.get(key) ?? [];
      refs.push({ project: project.name, confPath: project.confPath, ns, key, entry });
      keys.set(key, refs);
    }
  }
  return index;
}

/** The one CONFIG entry for `ns.key`; two projects defining it is an error rather than a silent "last wins". */
export function findConfig(index: ConfigIndex, ns: string, key: string): ConfigRef | undefined {
  const refs = index.get(ns)?.get(key);
  if (!refs) return undefined;
  if (refs.length > 1) {
    const who = refs.map((r) => definedBy(r.project, r.confPath)).join(' and ');
    throw configError(ConfigDefinitionError, `option ${ns}.${key} is defined twice in CONFIG, by ${who}`);
  }
  return refs[0];
}

/** Every CONFIG entry landing in `ns`. */
export function configIn(index: ConfigIndex, ns: string): ConfigRef[] {
  return [...(index.get(ns)?.keys() ?? [])].map((key) => findConfig(index, ns, key)!);
}

/** `name (conf path)`: the name alone says nothing when both definitions come from copies of one package. */
export function definedBy(project: string, confPath: string): string {
  return `${project} (${confPath})`;
}
