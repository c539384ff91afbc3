import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigFileError } from '../errors.ts';
import { configError } from './config-error.ts';
import { yamlProblem } from '../yaml-problem.ts';
import { decodeUtf8 } from '../utf8.ts';

/**
 * Reads a YAML config file: a mapping of namespace -> { key: value }. An empty file is `{}`.
 * With `optional`, a missing file gives undefined (a `config` default pointing at a file not yet written).
 * Errors name the path (and line:col for YAML syntax) and never quote the file's content.
 */
export function readConfigFile(path: string, optional = false): Record<string, unknown> | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    throw configError(ConfigFileError, `config file ${path}: cannot read (${code ?? 'error'})`, cause);
  }
  const text = decodeUtf8(bytes, (offset) => configError(ConfigFileError, `config file ${path}: not UTF-8: invalid byte at offset ${offset}`));
  // logLevel 'error': yaml otherwise prints process warnings that quote the document
  const doc = yaml().parseDocument(text, { prettyErrors: true, logLevel: 'error' });
  // a warning (an unknown tag) would silently change a value, so it fails too
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col, what } = yamlProblem(problem);
    const where = line === undefined ? '' : `:${line}:${col}`;
    throw configError(ConfigFileError, `config file ${path}${where}: YAML syntax error: ${what}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (cause) {
    throw configError(ConfigFileError, `config file ${path}: cannot load YAML (${(cause as Error).name})`, cause);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw configError(ConfigFileError, `config file ${path}: the top level must be a mapping of namespaces`);
  }
  return data as Record<string, unknown>;
}

/** yaml is 70-odd CommonJS files: loaded only when a config file is read, so `--help` and most runs skip it. */
function yaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml') as typeof import('yaml');
}
