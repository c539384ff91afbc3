import { fileURLToPath } from 'node:url';
import { requireIfAble } from './module-loader.ts';

/**
 * One of tspop's own modules that loads on first use (`stem`: its path relative to `parentUrl`, without the
 * extension). Compiled tspop require()s it where Node can (see canRequireEsm), which skips the async loader's
 * round trips for every file of its graph: about 5 ms of each CLI's start for the option parser's 30 files, 8 ms
 * for a bin's script. From sources (tsx, vitest) `load`, the same module as a static `import()`, does it.
 */
export async function ownModule<T>(parentUrl: string, stem: string, load: () => Promise<T>): Promise<T> {
  if (parentUrl.endsWith('.js')) {
    const required = requireIfAble(fileURLToPath(new URL(`${stem}.js`, parentUrl)));
    if (required) return required as T;
  }
  return load();
}
