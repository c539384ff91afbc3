import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleLoader } from './module-loader.ts';
import type { Project } from './conf-types.ts';
import { loadConfFile } from './conf-file.ts';
import { compareNames } from './plugin-files.ts';
import { ConfInvalidError } from './errors.ts';

/** One folder of a dyne, and the project that declared it. */
export interface DyneDir {
  readonly dir: string;
  readonly project: string;
}

/** A project whose conf file could not be loaded: it takes no part in the hub. */
export interface BrokenConf {
  readonly confPath: string;
  readonly error: Error;
}

/** Finds the projects taking part in the hub and the folders of each dyne. A core service. */
export interface DyneScanner {
  projects(): Promise<readonly Project[]>;
  /**
   * Conf files that failed to load, found by the last `projects()`: left out so that every other project (tspop's
   * own bins included) keeps working. Optional for scanners that never skip one.
   */
  broken?(): readonly BrokenConf[];
  /** Folders of `dyne` in merge order: the owning project first, then the others by name (later wins). */
  dirs(dyne: string): Promise<readonly DyneDir[]>;
  /** Forget what was found (after installing packages or editing a conf file). */
  invalidate(): void;
}

/**
 * Where the running tspop's conf sits: the repository root when run from sources, `dist/` in the package. Its
 * plugins must share this copy's classes, so the package is never looked up again as a dependency.
 */
const OWN_CONF_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The running tspop package (the folder holding its package.json). */
export const TSPOP_ROOT = packageRootOf(OWN_CONF_DIR);
/** The running tspop's package name: another package by this name is another copy of tspop, not a project. */
const TSPOP_NAME = readPackage(TSPOP_ROOT)?.name ?? 'tspop';

interface PackageJson {
  name?: string;
  tspop?: { conf?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * Discovery order: the running tspop, the host project (`<root>/conf.ts` or `conf.js`), then every dependency
 * whose package.json has `"tspop": { "conf": ... }`, followed transitively only through such packages, so
 * node_modules is never crawled.
 */
export class PackageDyneScanner implements DyneScanner {
  #found: Promise<Project[]> | undefined;
  #broken: BrokenConf[] = [];

  constructor(
    private readonly root: string,
    private readonly loader: ModuleLoader,
  ) {}

  projects(): Promise<readonly Project[]> {
    this.#found ??= this.#discover();
    return this.#found;
  }

  invalidate(): void {
    this.#found = undefined;
  }

  broken(): readonly BrokenConf[] {
    return this.#broken;
  }

  async dirs(dyne: string): Promise<readonly DyneDir[]> {
    const projects = await this.projects();
    const declaring = projects.filter((p) => p.conf.DYNE[dyne] !== undefined);
    const owner = declaring.find((p) => p.name === dyne) ?? declaring[0];
    const ordered = owner ? [owner, ...declaring.filter((p) => p !== owner).sort((a, b) => compareNames(a.name, b.name))] : [];
    return ordered.flatMap((p) =>
      (p.conf.DYNE[dyne] ?? []).map((d) => ({ dir: resolve(dirname(p.confPath), d), project: p.name })),
    );
  }

  async #discover(): Promise<Project[]> {
    const projects: Project[] = [];
    const broken: BrokenConf[] = [];
    const seen = new Set<string>();
    const addProject = async (root: string, confPath: string) => {
      const real = realpathSync(root);
      if (seen.has(real)) return;
      seen.add(real);
      const pkg = readPackage(root);
      // a second copy of tspop (the host's node_modules/tspop under a global install, the tspop repository as the
      // host): its conf is this one's, defined once, and the running copy's wins since its plugins are the ones loaded
      if (root !== TSPOP_ROOT && pkg?.name === TSPOP_NAME) return;
      try {
        projects.push({ name: pkg?.name ?? basename(root), root, confPath, conf: await loadConfFile(this.loader, confPath) });
      } catch (err) {
        // tspop's own conf ships with it: if that fails, nothing can work
        if (root === TSPOP_ROOT) throw err;
        broken.push({ confPath, error: err as Error });
      }
    };
    this.#broken = broken;

    const ownConf = findConf(OWN_CONF_DIR);
    if (ownConf) await addProject(TSPOP_ROOT, ownConf);
    const hostConf = findConf(this.root);
    if (hostConf) await addProject(this.root, hostConf);

    const queue: string[] = [this.root];
    const visited = new Set<string>([realpathSync(TSPOP_ROOT)]);
    while (queue.length > 0) {
      const from = queue.shift() as string;
      for (const dep of dependencyNames(readPackage(from)).sort(compareNames)) {
        const depRoot = findPackage(from, dep);
        if (!depRoot) continue;
        const real = realpathSync(depRoot);
        if (visited.has(real)) continue;
        visited.add(real);
        const pkg = readPackage(depRoot);
        const conf = pkg?.tspop?.conf;
        if (!conf) continue;
        if (typeof conf !== 'string') throw new ConfInvalidError(`${join(depRoot, 'package.json')}: "tspop.conf" must be a path`);
        const confPath = resolve(depRoot, conf);
        if (!existsSync(confPath)) throw new ConfInvalidError(`${join(depRoot, 'package.json')}: tspop.conf file ${confPath} does not exist`);
        await addProject(depRoot, confPath);
        queue.push(depRoot);
      }
    }
    return projects;
  }
}

function packageRootOf(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return dir;
  }
}

function findConf(root: string): string | undefined {
  for (const name of ['conf.ts', 'conf.mts', 'conf.js', 'conf.mjs']) {
    const p = join(root, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function readPackage(root: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function dependencyNames(pkg: PackageJson | undefined): string[] {
  if (!pkg) return [];
  return [...new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ])];
}

/** Node's own lookup: `node_modules/<name>` in `from` and each parent folder. */
function findPackage(from: string, name: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
