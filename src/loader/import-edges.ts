import { resolveImport, type ImportTarget, type ResolveMemo } from './resolve-import.ts';
import type { GraphNode } from './link-graph.ts';

/** One import of compiled code whose specifier the cached copy must write differently. */
export interface ImportEdge {
  /** the text to replace: the quoted specifier */
  readonly start: number;
  readonly end: number;
  readonly target: Exclude<ImportTarget, { kind: 'keep' }>;
  /** the graph node of a TS target, once collected */
  node?: GraphNode;
}

type Lexer = typeof import('es-module-lexer/minimal');
let lexer: Promise<Lexer> | undefined;

/**
 * The imports of `code` (compiled from `path`) that need rewriting, in source order. es-module-lexer finds every
 * static import, re-export and string-literal dynamic `import()`; builtins and URLs stay as written. A dynamic
 * import of a computed specifier cannot be seen and resolves from the cache folder.
 */
export async function importEdges(code: string, path: string, memo: ResolveMemo): Promise<ImportEdge[]> {
  const { parse } = await (lexer ??= import('es-module-lexer/minimal').then(async (m) => (await m.init(), m)));
  const edges: ImportEdge[] = [];
  for (const imp of parse(code, path)[0]) {
    if (imp.n === undefined || imp.d === -2) continue; // computed specifier, or import.meta
    const dynamic = imp.d > -1;
    const target = await resolveImport(imp.n, path, dynamic, memo);
    if (target.kind === 'keep') continue;
    // a static specifier's span excludes its quotes, a dynamic one's includes them
    edges.push(dynamic ? { start: imp.s, end: imp.e, target } : { start: imp.s - 1, end: imp.e + 1, target });
  }
  return edges;
}
