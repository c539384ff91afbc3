import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Hub } from '../types.ts';
import { TypesIncompleteError } from '../errors.ts';
import { loadDynes } from './load-dynes.ts';
import { describeHubTypes, moduleProblems, type TypedSub } from './describe-hub-types.ts';
import { GENERATED_MARKER, renderHubTypes } from './render-hub-types.ts';
import { writeGeneratedFile } from './write-generated-file.ts';

/** Where `tspop types` writes without `--out`: beside the host's conf.ts, where a default tsconfig picks it up. */
export const DEFAULT_TYPES_FILE = 'tspop-hub.d.ts';

export interface WriteTypesIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: WriteTypesIo = {
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/**
 * `tspop types [dyne...] [--out FILE]`: loads the dynes as `tspop tree` does and writes the declaration file that
 * types them on `HubSubs`. A module that failed to load would silently vanish from the types, so then nothing is
 * written; a module whose `__virtual__` refused is not on this hub, so it is left out with a note.
 */
export async function writeTypes(hub: Hub, dynes: readonly string[], out: string | undefined, io: WriteTypesIo = processIo): Promise<number> {
  const subs = (await loadDynes(hub, dynes)).map((sub) => describeHubTypes(sub));
  const file = resolve(io.cwd, out ?? join(hub.root, DEFAULT_TYPES_FILE));
  const shown = displayPath(io.cwd, file);
  const failed = subs.flatMap((s) => moduleProblems(s, 'failed'));
  if (failed.length > 0) {
    const list = failed.map((p) => `hub.${p.ref} (${p.code}: ${p.message})`).join('; ');
    throw new TypesIncompleteError(`nothing written to ${shown}: ${failed.length} module(s) failed to load: ${list}`);
  }
  for (const p of subs.flatMap((s) => moduleProblems(s, 'refused'))) io.stderr(`tspop types: not typed: ${p.message}\n`);
  const state = await writeGeneratedFile(file, renderHubTypes(subs, dirname(file)), GENERATED_MARKER);
  io.stdout(`${state === 'unchanged' ? 'unchanged' : 'wrote'} ${shown} (${summary(subs)})\n`);
  return 0;
}

function summary(subs: readonly TypedSub[]): string {
  const all = subs.flatMap(function walk(s: TypedSub): TypedSub[] {
    return [s, ...s.subs.flatMap(walk)];
  });
  const members = all.flatMap((s) => s.modules.flatMap((m) => m.members));
  const fns = members.filter((m) => m.source.kind === 'function' || m.source.kind === 'method').length;
  return `${subs.map((s) => `hub.${s.name}`).join(', ')}: ${all.flatMap((s) => s.modules).length} modules, ${fns} functions, ${members.length - fns} variables`;
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
