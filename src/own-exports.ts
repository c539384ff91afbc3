import { readFileSync } from 'node:fs';

/**
 * Which exported names a plugin file defines itself. pop hides functions imported from elsewhere
 * (`func.__module__ != mod.__name__`); JS functions carry no module, so we read the source once and keep an
 * export when the file declares either the export's name or the function's own name. Re-exports
 * (`export { x } from`, `export *`, `import { x }; export { x }`) declare neither and are hidden.
 */
export function ownExportFilter(file: string): (exportName: string, fn: { name: string }) => boolean {
  let declared = noted.get(file);
  noted.delete(file);
  if (!declared) {
    try {
      declared = declaredNames(readFileSync(file, 'utf8'));
    } catch {
      return () => true;
    }
  }
  const names = declared;
  return (exportName, fn) => names.has(exportName) || (fn.name !== '' && names.has(fn.name));
}

/** Names a loader found in a file it just read (or knows from its index), until the file's module is built. */
const noted = new Map<string, Set<string>>();

/**
 * For a loader that has the source of `file` in hand (the transforming loader does): saves ownExportFilter a
 * second read of each file, which was half of building the modules of a folder (1000 files: ~12 ms of ~30 ms
 * with a warm JIT). The names must be `declaredNames` of the source the loaded module came from.
 */
export function noteDeclaredNames(file: string, names: Iterable<string>): void {
  noted.set(file, names instanceof Set ? names : new Set(names));
}

const DECL = /\b(?:function\s*\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g;

export function declaredNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(DECL)) names.add(m[1] as string);
  // `const { a, b } = ...` destructuring declares too
  for (const m of source.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*=/g)) {
    for (const part of (m[1] as string).split(',')) {
      const local = part.split(':').pop()?.split('=')[0]?.trim();
      if (local) names.add(local);
    }
  }
  return names;
}
