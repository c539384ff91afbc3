import { noteOrigin } from './cache-origins.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { digest } from './digest.ts';
import { withImportMeta, type ImportEdge } from './import-edges.ts';
import { writeCacheFile } from './write-cache-file.ts';

/** A TS file of the batch: read and compiled, its imports found; `final` once its cache module is named. */
export interface GraphNode {
  readonly path: string;
  /** hash of the file's compile inputs */
  readonly hash: string;
  /** `<name>-<hash>.mjs`: the module's file name when nothing in it is rewritten */
  readonly name: string;
  readonly edges: readonly ImportEdge[];
  /** compiled code, for a file whose imports are rewritten */
  readonly code?: string;
  /** the compiled code reads import.meta */
  readonly importMeta?: boolean;
  final?: string;
  /** the write of `final`, when this batch writes it: a module is imported only once it and its imports are written */
  written?: Promise<void>;
}

/**
 * Names and writes the cache modules of everything `root` reaches, dependencies first, and returns root's.
 * Tarjan's algorithm finds the strongly connected components (import cycles) in dependency order: a component's
 * members are named by one hash over all of them, so each can import the others by name before any is written.
 */
export async function linkGraph(root: GraphNode, modulesDir: string): Promise<string> {
  const order = new Map<GraphNode, { index: number; low: number; onStack: boolean }>();
  const stack: GraphNode[] = [];
  const visit = (v: GraphNode): void => {
    const mine = { index: order.size, low: order.size, onStack: true };
    order.set(v, mine);
    stack.push(v);
    for (const { node: w } of v.edges) {
      if (!w || w.final) continue;
      const theirs = order.get(w);
      if (!theirs) {
        visit(w);
        mine.low = Math.min(mine.low, (order.get(w) as { low: number }).low);
      } else if (theirs.onStack) {
        mine.low = Math.min(mine.low, theirs.index);
      }
    }
    if (mine.low !== mine.index) return;
    const component: GraphNode[] = [];
    let w: GraphNode;
    do {
      w = stack.pop() as GraphNode;
      (order.get(w) as { onStack: boolean }).onStack = false;
      component.push(w);
    } while (w !== v);
    writeComponent(component, modulesDir);
  };
  if (!root.final) visit(root);
  await Promise.all(pendingWrites(root));
  return root.final as string;
}

/** The writes still running for `root` and what it imports (another load of the batch may have started them). */
function pendingWrites(root: GraphNode): Array<Promise<void>> {
  const seen = new Set<GraphNode>([root]);
  const queue = [root];
  const writes: Array<Promise<void>> = [];
  for (let n = queue.pop(); n; n = queue.pop()) {
    if (n.written) writes.push(n.written);
    for (const { node } of n.edges) {
      if (node && !seen.has(node)) {
        seen.add(node);
        queue.push(node);
      }
    }
  }
  return writes;
}

function writeComponent(component: GraphNode[], modulesDir: string): void {
  const members = new Set(component);
  // a member's imports of its own component are named by path: their final names are what is being computed
  const tokens = (n: GraphNode) => n.edges.map((e) => (e.node ? (members.has(e.node) ? `=${e.node.path}` : (e.node.final as string)) : e.target.kind === 'url' ? e.target.url : ''));
  const single = component.length === 1 ? component[0] : undefined;
  const shared = single ? undefined : digest('cycle', ...[...component].sort((a, b) => (a.path < b.path ? -1 : 1)).flatMap((n) => [n.path, n.hash, ...tokens(n)]));
  for (const n of component) {
    const linked = single ? digest('linked', n.hash, ...tokens(n)) : digest(shared as string, n.path);
    n.final = join(modulesDir, n.name.replace(n.hash, linked));
    noteOrigin(n.final, n.path);
  }
  for (const n of component) if (!existsSync(n.final as string)) n.written = writeCacheFile(n.final as string, rewrite(n));
}

function rewrite(n: GraphNode): string {
  const code = n.code as string;
  let out = '';
  let at = 0;
  for (const e of n.edges) {
    const url = e.node ? pathToFileURL(e.node.final as string).href : e.target.kind === 'url' ? e.target.url : '';
    out += code.slice(at, e.start) + JSON.stringify(url);
    at = e.end;
  }
  out += code.slice(at);
  return n.importMeta ? withImportMeta(out, n.path) : out;
}
