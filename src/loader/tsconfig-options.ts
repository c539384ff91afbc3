import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ModTransformError } from '../errors.ts';
import { parseJsonc } from './parse-jsonc.ts';

/** The compilerOptions that change what esbuild emits for one file (the rest only matter to type checking). */
const RELEVANT = [
  'experimentalDecorators', 'emitDecoratorMetadata', 'useDefineForClassFields', 'verbatimModuleSyntax', 'preserveValueImports',
  'importsNotUsedAsValues', 'jsx', 'jsxFactory', 'jsxFragmentFactory', 'jsxImportSource', 'alwaysStrict', 'strict',
  'target',
] as const;

export type TsCompilerOptions = Readonly<Record<string, unknown>>;

/**
 * The relevant compilerOptions of the tsconfig.json nearest to `dir` (its `extends` followed), as esbuild's
 * `tsconfigRaw` wants them. Legacy decorators stay on unless the tsconfig turns them off: class plugins written
 * for tsyringe use parameter decorators, which standard decorators do not have. `memo` is per folder.
 */
export function tsconfigOptionsFor(dir: string, memo: Map<string, TsCompilerOptions>): TsCompilerOptions {
  const seen: string[] = [];
  let found: TsCompilerOptions | undefined;
  for (let d = dir; ; d = dirname(d)) {
    found = memo.get(d);
    if (found) break;
    seen.push(d);
    const file = join(d, 'tsconfig.json');
    if (existsSync(file)) {
      found = withDefaults(readOptions(file, []));
      break;
    }
    // a package under node_modules is not governed by the host's tsconfig
    if (dirname(d) === d || basename(d) === 'node_modules') {
      found = withDefaults({});
      break;
    }
  }
  for (const d of seen) memo.set(d, found);
  return found;
}

function withDefaults(options: Record<string, unknown>): TsCompilerOptions {
  return Object.freeze({ experimentalDecorators: true, ...options });
}

function readOptions(file: string, chain: string[]): Record<string, unknown> {
  if (chain.includes(file)) throw new ModTransformError(`${file}: "extends" loops back to itself (${[...chain, file].join(' -> ')})`);
  let config: { extends?: unknown; compilerOptions?: Record<string, unknown> };
  try {
    config = parseJsonc(readFileSync(file, 'utf8')) as typeof config;
  } catch (cause) {
    throw new ModTransformError(`${file}: not a valid tsconfig: ${(cause as Error).message}`, { cause });
  }
  const bases = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  const merged: Record<string, unknown> = {};
  for (const base of bases) {
    if (typeof base !== 'string') throw new ModTransformError(`${file}: "extends" must name tsconfig files`);
    Object.assign(merged, readOptions(extendedFile(file, base), [...chain, file]));
  }
  for (const key of RELEVANT) {
    const value = config.compilerOptions?.[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function extendedFile(from: string, base: string): string {
  if (base.startsWith('.') || isAbsolute(base)) {
    const path = resolve(dirname(from), base);
    return existsSync(path) || path.endsWith('.json') ? path : `${path}.json`;
  }
  const require = createRequire(from);
  for (const candidate of [base, `${base}.json`, `${base}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // next candidate
    }
  }
  throw new ModTransformError(`${from}: cannot find the tsconfig it extends, "${base}"`);
}
