import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
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

export interface ImportScan {
  readonly edges: ImportEdge[];
  /** the code reads `import.meta`, which must then be the original file's */
  readonly importMeta: boolean;
}

/**
 * The imports of `code` (compiled from `path`) that need rewriting, in source order. es-module-lexer finds every
 * static import, re-export and string-literal dynamic `import()`; builtins and URLs stay as written. A dynamic
 * import of a computed specifier cannot be seen and resolves from the cache folder.
 */
export async function importEdges(code: string, path: string, memo: ResolveMemo): Promise<ImportScan> {
  const { parse } = await (lexer ??= import('es-module-lexer/minimal').then(async (m) => (await m.init(), m)));
  const edges: ImportEdge[] = [];
  let importMeta = false;
  for (const imp of parse(code, path)[0]) {
    if (imp.d === -2) importMeta = true;
    if (imp.n === undefined || imp.d === -2) continue; // computed specifier, or import.meta
    const dynamic = imp.d > -1;
    const target = await resolveImport(imp.n, path, dynamic, memo);
    if (target.kind === 'keep') continue;
    // a static specifier's span excludes its quotes, a dynamic one's includes them
    edges.push(dynamic ? { start: imp.s, end: imp.e, target } : { start: imp.s - 1, end: imp.e + 1, target });
  }
  return { edges, importMeta };
}

/**
 * `import.meta.url`, `dirname` and `filename` of the original file, set at the top of the compiled copy (on the first
 * line, after a hashbang, so the source map's lines still hold), and `import.meta.resolve` of relative specifiers
 * against it. Cheaper than esbuild's `define`, which made each transform request about 60% dearer.
 */
export function withImportMeta(code: string, path: string): string {
  const url = JSON.stringify(pathToFileURL(path).href);
  const prologue = `import.meta.url = ${url}; import.meta.dirname = ${JSON.stringify(dirname(path))}; import.meta.filename = ${JSON.stringify(path)}; `
    + `import.meta.resolve = ((resolve) => (s, p) => /^\\.{0,2}\\//.test(s) ? new URL(s, ${url}).href : resolve(s, p))(import.meta.resolve);`;
  if (!code.startsWith('#!')) return prologue + code;
  const at = code.indexOf('\n') + 1;
  return at === 0 ? code : code.slice(0, at) + prologue + code.slice(at);
}
