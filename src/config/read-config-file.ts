import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigFileError } from '../errors.ts';
import { configError } from './config-error.ts';

/**
 * Reads a YAML config file: a mapping of namespace -> { key: value }. An empty file is `{}`.
 * With `optional`, a missing file gives undefined (a `config` default pointing at a file not yet written).
 * Errors name the path (and line:col for YAML syntax) and never quote the file's content.
 */
export function readConfigFile(path: string, optional = false): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    throw configError(ConfigFileError, `config file ${path}: cannot read (${code ?? 'error'})`, cause);
  }
  const doc = yaml().parseDocument(text);
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    const reason = problem.message.split('\n')[0]!.replace(/\s*at line \d+, column \d+:?\s*$/, '');
    throw configError(ConfigFileError, `config file ${path}${where}: YAML syntax error: ${reason}`, problem);
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
