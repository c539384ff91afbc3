/**
 * How evbus-test prints an event body: `json` (one compact object per line, JSON Lines for jq), `yaml` (one
 * document per event) or `nested` (pop/rend's default outputter: indented `key:` blocks, a dashed rule after
 * each event).
 */
import type * as YamlLib from 'yaml';
import { requireCjs } from '../../../src/require-cjs.ts';

// yaml (72 CommonJS files, ~30 ms of a process's start) loads with the first yaml event, not for every
// evbus-test start (`--help` included).
let yamlLib: typeof YamlLib | undefined;

export type OutputFormat = 'json' | 'yaml' | 'nested';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'yaml', 'nested'];

export function renderEvent(format: OutputFormat, body: unknown): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(body, jsonSafe) ?? 'null'}\n`;
    case 'yaml':
      yamlLib ??= requireCjs('yaml') as typeof YamlLib;
      return `---\n${yamlLib.stringify(body)}`;
    case 'nested':
      return `${nested(body, 0).join('\n')}\n${'-'.repeat(80)}\n`;
  }
}

function nested(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isContainer(item)) return [`${pad}-`, ...nested(item, indent + 2)];
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (value instanceof Map) value = Object.fromEntries(value);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [`${pad}${k}:`, ...nested(v, indent + 4)]);
  }
  return [`${pad}${scalar(value)}`];
}

function isContainer(v: unknown): boolean {
  return Array.isArray(v) || (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Uint8Array));
}

function scalar(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v === null || v === undefined) return 'None';
  return String(v);
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
