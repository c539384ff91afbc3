import { createRequire } from 'node:module';
import { ModTransformError } from '../errors.ts';
import type { TsCompilerOptions } from './tsconfig-options.ts';

type Esbuild = typeof import('esbuild');

export interface TransformInput {
  readonly path: string;
  readonly source: string;
  readonly loader: 'ts' | 'tsx';
  readonly format: 'esm' | 'cjs';
  readonly tsconfig: TsCompilerOptions;
}

/** Node's own version (major.minor) is the target: syntax it runs is left alone, newer syntax (`using`) lowered. */
export const TRANSFORM_TARGET = `node${process.versions.node.split('.').slice(0, 2).join('.')}`;

let esbuild: Promise<Esbuild> | undefined;
let running = 0;
let version: string | undefined;

/**
 * esbuild's version from its package.json, for cache keys: a warm start must not pay for importing esbuild.
 * Read once per process (per file, the createRequire and package lookup were 6% of a warm load).
 */
export function esbuildVersion(): string {
  return (version ??= (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version);
}

/**
 * Compiles one TS file to JS with an inline source map naming the original file. esbuild is imported on the first
 * cache miss only, and its service process is stopped as soon as no transform is running (checked a turn of the
 * event loop later, so the transforms a batch discovers one after another share one service): no esbuild child
 * outlives the work or keeps a CLI's process group busy.
 */
export async function transformTs(input: TransformInput): Promise<string> {
  running++;
  try {
    const api = await (esbuild ??= import('esbuild'));
    const result = await api.transform(input.source, {
      loader: input.loader,
      format: input.format,
      target: TRANSFORM_TARGET,
      platform: 'node',
      sourcemap: 'inline',
      sourcesContent: false,
      sourcefile: input.path,
      tsconfigRaw: tsconfigRaw(input.tsconfig),
      logLevel: 'silent',
    });
    return result.code;
  } catch (err) {
    throw transformError(input.path, err);
  } finally {
    if (--running === 0) setImmediate(stopWhenIdle);
  }
}

const raw = new WeakMap<TsCompilerOptions, string>();

/** esbuild stringifies an object `tsconfigRaw` on every call; a batch shares a few option sets, so once each. */
function tsconfigRaw(options: TsCompilerOptions): string {
  let text = raw.get(options);
  if (text === undefined) raw.set(options, (text = JSON.stringify({ compilerOptions: options })));
  return text;
}

function stopWhenIdle(): void {
  if (running > 0 || !esbuild) return;
  void esbuild.then((api) => api.stop()).catch(() => undefined);
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

/** A syntax error as `file:line:column: text` (column 1-based, like an editor), with `file`/`line`/`column` on the error. */
function transformError(path: string, err: unknown): Error {
  const first = (err as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return new ModTransformError(`${path}: cannot compile: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  const loc = first.location;
  const where = loc ? `${path}:${loc.line}:${loc.column + 1}` : path;
  const error = new ModTransformError(`${where}: ${first.text}`, { cause: err });
  return Object.assign(error, { file: path, line: loc?.line, column: loc === null ? undefined : loc.column + 1 });
}
