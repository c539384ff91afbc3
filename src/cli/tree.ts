import { relative } from 'node:path';
import { META } from '../meta.ts';
import type { Sub } from '../sub.ts';
import type { Hub } from '../types.ts';
import { functionParams } from '../function-params.ts';
import { loadDynes } from './load-dynes.ts';
import { compareNames } from '../plugin-files.ts';

export interface TreeFunction {
  readonly name: string;
  readonly params: readonly string[];
  readonly file: string;
}
export interface TreeModule {
  readonly name: string;
  readonly files: readonly string[];
  readonly functions: readonly TreeFunction[];
  readonly vars: readonly string[];
}
export interface TreeSub {
  readonly name: string;
  readonly dirs: readonly string[];
  readonly modules: readonly TreeModule[];
  readonly failures: ReadonlyArray<{ module: string; code: string; message: string }>;
  readonly subs: readonly TreeSub[];
}

/** Loads the given dynes (default: every declared dyne) with their sub-folders and describes them. */
export async function buildTree(hub: Hub, dynes: readonly string[]): Promise<TreeSub[]> {
  return (await loadDynes(hub, dynes)).map((sub) => describeSub(hub, sub));
}

function describeSub(hub: Hub, sub: Sub): TreeSub {
  const meta = sub[META];
  const rel = (p: string) => relative(hub.root, p) || '.';
  return {
    name: meta.name,
    dirs: meta.dirs.map(rel),
    modules: [...sub].map((mod) => {
      const m = mod[META];
      return {
        name: m.name,
        files: m.paths.map(rel),
        functions: [...m.functions.entries()]
          .sort(([a], [b]) => compareNames(a, b))
          .map(([name, rec]) => ({ name, params: functionParams(rec.raw), file: rel(rec.path) })),
        vars: Object.keys(mod).filter((k) => !m.functions.has(k)).sort(compareNames),
      };
    }),
    failures: [...meta.failures.values()].map((f) => ({ module: f.module, code: f.code, message: f.message })),
    subs: [...new Set(meta.subs.values())].sort((a, b) => compareNames(a[META].name, b[META].name)).map((s) => describeSub(hub, s)),
  };
}

/** `tspop tree`: a readable tree, or JSON for tools. */
export async function printTree(hub: Hub, dynes: readonly string[], json: boolean, write = (s: string) => process.stdout.write(s)): Promise<number> {
  const tree = await buildTree(hub, dynes);
  if (json) {
    write(`${JSON.stringify(tree, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const sub of tree) renderSub(sub, '', lines, `hub.${sub.name}`);
  write(`${lines.join('\n')}\n`);
  return tree.some(hasFailures) ? 1 : 0;
}

function hasFailures(sub: TreeSub): boolean {
  return sub.failures.length > 0 || sub.subs.some(hasFailures);
}

function renderSub(sub: TreeSub, indent: string, lines: string[], ref: string): void {
  lines.push(`${indent}${ref}  [${sub.dirs.join(', ')}]`);
  const inner = `${indent}  `;
  for (const mod of sub.modules) {
    lines.push(`${inner}${mod.name}  (${mod.files.join(' + ')})`);
    for (const fn of mod.functions) lines.push(`${inner}  ${fn.name}(${fn.params.join(', ')})${mod.files.length > 1 ? `  ${fn.file}` : ''}`);
    for (const v of mod.vars) lines.push(`${inner}  .${v}`);
  }
  for (const f of sub.failures) lines.push(`${inner}${f.module}  FAILED ${f.code}: ${f.message}`);
  for (const child of sub.subs) renderSub(child, inner, lines, `${ref}.${child.name}`);
}
