import { ConfLoadError, ConfInvalidError } from './errors.ts';
import type { ModuleLoader } from './module-loader.ts';
import { describeError } from './describe-error.ts';
import type { ProjectConf } from './conf-types.ts';

const SECTIONS = ['CONFIG', 'CLI_CONFIG', 'SUBCOMMANDS', 'DYNE'] as const;

/** Imports a `conf.ts`/`conf.js` and checks its shape, so a typo fails here with the file named. */
export async function loadConfFile(loader: ModuleLoader, path: string): Promise<ProjectConf> {
  let mod: Record<string, unknown>;
  try {
    mod = await loader.load(path);
  } catch (cause) {
    throw new ConfLoadError(`cannot load ${path}: ${describeError(cause)}`, { cause });
  }
  const conf: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const value = mod[section] ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfInvalidError(`${path}: ${section} must be an object`);
    }
    for (const [key, entry] of Object.entries(value)) {
      const ok = section === 'DYNE'
        ? Array.isArray(entry) && entry.every((d) => typeof d === 'string')
        : typeof entry === 'object' && entry !== null && !Array.isArray(entry);
      if (!ok) {
        const want = section === 'DYNE' ? 'a list of folder paths' : 'an object of option keys';
        throw new ConfInvalidError(`${path}: ${section}.${key} must be ${want}`);
      }
    }
    conf[section] = value;
  }
  return conf as unknown as ProjectConf;
}
