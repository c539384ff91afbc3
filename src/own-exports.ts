import { readFileSync } from 'node:fs';

/**
 * Which exported names a plugin file defines itself. pop hides functions imported from elsewhere
 * (`func.__module__ != mod.__name__`); JS functions carry no module, so we read the source once and keep an
 * export when the file declares either the export's name or the function's own name. Re-exports
 * (`export { x } from`, `export *`, `import { x }; export { x }`) declare neither and are hidden.
 */
export function ownExportFilter(file: string): (exportName: string, fn: { name: string }) => boolean {
  let declared: Set<string>;
  try {
    declared = declaredNames(readFileSync(file, 'utf8'));
  } catch {
    return () => true;
  }
  return (exportName, fn) => declared.has(exportName) || (fn.name !== '' && declared.has(fn.name));
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
