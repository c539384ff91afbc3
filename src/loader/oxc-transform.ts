import { pathToFileURL } from 'node:url';
import { ModTransformError } from '../errors.ts';
import { requireCjs } from '../require-cjs.ts';
import { TRANSFORM_TARGET, type TransformInput } from './esbuild-transform.ts';
import type { TsCompilerOptions } from './tsconfig-options.ts';

type Oxc = typeof import('oxc-transform');
type OxcOptions = NonNullable<Parameters<Oxc['transformSync']>[2]>;

/** The helper package oxc's output imports from; resolved from tspop's own install, never the host's. */
const RUNTIME = '@oxc-project/runtime';

let oxc: Promise<Oxc | undefined> | undefined;
let key: string | undefined;
const helperUrls = new Map<string, string>();

/**
 * What oxc's output depends on besides the file, for cache keys: its version, and where the helpers its output
 * imports by absolute URL are (tspop moved or reinstalled elsewhere gives new names).
 */
export function oxcKey(): string {
  if (key === undefined) {
    const version = (requireCjs('oxc-transform/package.json') as { version: string }).version;
    key = `oxc ${version} ${requireCjs.resolve(`${RUNTIME}/package.json`)}`;
  }
  return key;
}

/**
 * Whether oxc compiles this file: ES-module TypeScript (not `.tsx`, whose JSX options esbuild maps, nor `.cts`,
 * which esbuild turns into CommonJS) with legacy decorators, the default; standard decorators stay with esbuild.
 */
export function oxcHandles(input: Pick<TransformInput, 'loader' | 'format' | 'tsconfig'>): boolean {
  return input.loader === 'ts' && input.format === 'esm' && input.tsconfig.experimentalDecorators !== false;
}

/**
 * Compiles one TS file with oxc-transform, in this thread: 1000 small plugin files in 13-27 ms, where esbuild's
 * service took 220-480 ms of requests for the same files. Undefined when oxc's native binding cannot load on this
 * platform (the caller uses esbuild then). Output as esbuild's: an inline source map naming the original file, no
 * sources content, `TSPOP_ERR_MOD_TRANSFORM` with file:line:column for a syntax error.
 */
export async function transformWithOxc(input: TransformInput): Promise<string | undefined> {
  const api = await (oxc ??= import('oxc-transform').catch(() => undefined));
  if (!api) return undefined;
  const result = api.transformSync(input.path, input.source, options(input.tsconfig));
  const error = result.errors.find((e) => e.severity === 'Error');
  if (error) throw transformError(input, error);
  let code = result.code;
  for (const [, specifier] of Object.entries(result.helpersUsed)) code = code.replace(JSON.stringify(specifier), JSON.stringify(helperUrl(specifier)));
  const map = result.map ? { version: 3, sources: [input.path], names: result.map.names, mappings: result.map.mappings } : undefined;
  return map ? `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n` : code;
}

const optionSets = new WeakMap<TsCompilerOptions, OxcOptions>();

/** tsconfig's options that change oxc's output, as esbuild reads them (class fields follow `target` by default). */
function options(tsconfig: TsCompilerOptions): OxcOptions {
  let found = optionSets.get(tsconfig);
  if (found) return found;
  const useDefine = typeof tsconfig.useDefineForClassFields === 'boolean' ? tsconfig.useDefineForClassFields : definesByDefault(tsconfig.target);
  const keepValueImports = tsconfig.verbatimModuleSyntax === true || tsconfig.preserveValueImports === true || tsconfig.importsNotUsedAsValues === 'preserve';
  found = {
    lang: 'ts',
    sourceType: 'module',
    sourcemap: true,
    target: TRANSFORM_TARGET,
    decorator: { legacy: true, emitDecoratorMetadata: tsconfig.emitDecoratorMetadata === true },
    typescript: { onlyRemoveTypeImports: keepValueImports, removeClassFieldsWithoutInitializer: !useDefine },
    assumptions: { setPublicClassFields: !useDefine },
  };
  optionSets.set(tsconfig, found);
  return found;
}

/** TypeScript defines class fields (rather than assigning them) from target ES2022 on; esbuild also when no target is set. */
function definesByDefault(target: unknown): boolean {
  if (typeof target !== 'string') return true;
  const t = target.toLowerCase();
  if (t === 'esnext') return true;
  const year = /^es(\d{4})$/.exec(t)?.[1];
  return year !== undefined && Number(year) >= 2022;
}

function helperUrl(specifier: string): string {
  let url = helperUrls.get(specifier);
  if (url === undefined) {
    url = specifier.startsWith(`${RUNTIME}/`) ? pathToFileURL(requireCjs.resolve(specifier)).href : specifier;
    helperUrls.set(specifier, url);
  }
  return url;
}

interface OxcError {
  readonly message: string;
  readonly labels: ReadonlyArray<{ readonly start: number }>;
}

/** oxc's label offsets count UTF-8 bytes; editors count lines and characters. */
function transformError(input: TransformInput, error: OxcError): Error {
  const at = error.labels[0]?.start;
  if (at === undefined) return new ModTransformError(`${input.path}: ${error.message}`);
  const before = Buffer.from(input.source).subarray(0, at).toString('utf8');
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return Object.assign(new ModTransformError(`${input.path}:${line}:${column}: ${error.message}`), { file: input.path, line, column });
}
