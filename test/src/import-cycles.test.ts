/** src/ is the hub core: its modules form a tree of imports, so any of them can be read (and loaded) on its own. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports that exist at run time (`import type` and `export type` are erased, so they cannot cycle). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)].map((m) => m[1] as string);
  return specs.map((s) => resolve(dirname(file), s)).filter((p) => p.startsWith(SRC));
}

function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => f.slice(SRC.length)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('src/ imports', () => {
  it('have no cycles', () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [f, runtimeImports(f)]));

    expect(findCycles(graph)).toEqual([]);
  });

  it('the check sees a cycle when there is one', () => {
    expect(findCycles(new Map([[`${SRC}a.ts`, [`${SRC}b.ts`]], [`${SRC}b.ts`, [`${SRC}a.ts`]]]))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
