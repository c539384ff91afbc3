/** Checks shared by every family's error-code pin test: each family owns one registry module of its codes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TspopError, type TspopErrorClass } from '../../src/errors.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The error classes a registry module exports, by export name. */
export function errorClasses(registry: Record<string, unknown>): [string, TspopErrorClass][] {
  return Object.entries(registry).filter(
    (e): e is [string, TspopErrorClass] => typeof e[1] === 'function' && (e[1] as { prototype?: unknown }).prototype instanceof TspopError,
  );
}

/** The codes a registry module defines, sorted. */
export function codesOf(registry: Record<string, unknown>): string[] {
  return errorClasses(registry)
    .map(([, cls]) => cls.code)
    .sort();
}

/** Export names of the registry's classes that no source file under `paths` (relative to the repo) constructs. */
export function neverThrown(registry: Record<string, unknown>, paths: readonly string[], registryFile: string): string[] {
  const text = paths
    .flatMap((p) => sourceFiles(join(ROOT, p)))
    .filter((f) => !f.endsWith(registryFile))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  return errorClasses(registry)
    .map(([name]) => name)
    .filter((name) => !new RegExp(`new ${name}\\b|\\(${name}\\b|\\b${name},`).test(text));
}

function sourceFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(path, e.name)) : e.name.endsWith('.ts') ? [join(path, e.name)] : [],
  );
}
