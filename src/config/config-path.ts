import type { GivenValue } from './cli-values.ts';
import type { OptionSpec } from './option-spec.ts';

export interface ConfigPath {
  readonly path: string;
  /** Given by flag or env var: a missing file is an error. From a default: a missing file is skipped. */
  readonly explicit: boolean;
}

/**
 * The config file to read: tspop's own `--config` flag, else an option named `config` (pop-config's way) from
 * the command line, the environment or its default, looking in `nsOrder` (the CLI's namespace first).
 */
export function findConfigPath(
  flag: string | undefined,
  cli: ReadonlyMap<string, GivenValue>,
  env: ReadonlyMap<string, GivenValue>,
  options: readonly OptionSpec[],
  nsOrder: readonly string[],
): ConfigPath | undefined {
  if (flag !== undefined) return { path: flag, explicit: true };
  const candidates = options
    .filter((s) => s.key === 'config')
    .sort((a, b) => rank(nsOrder, a.ns) - rank(nsOrder, b.ns));
  for (const layer of [cli, env]) {
    for (const spec of candidates) {
      const value = layer.get(spec.id)?.value;
      if (typeof value === 'string' && value !== '') return { path: value, explicit: true };
    }
  }
  for (const spec of candidates) {
    if (typeof spec.default === 'string' && spec.default !== '') return { path: spec.default, explicit: false };
  }
  return undefined;
}

function rank(order: readonly string[], ns: string): number {
  const i = order.indexOf(ns);
  return i < 0 ? order.length : i;
}
