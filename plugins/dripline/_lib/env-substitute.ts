/**
 * `ENV{VAR}` in service configuration values (scarab's syntax, which dripline-cpp and dripline-python read):
 * replaced by the environment variable, anywhere in a string. An unset variable is an error naming the key.
 */
import { DriplineEnvError } from '../_errors.ts';

const PATTERN = /ENV\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function substituteEnv(value: unknown, where: string, env: Readonly<Record<string, string | undefined>>, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(PATTERN, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) throw new DriplineEnvError(`${where}: ${path || 'value'} uses ENV{${name}}, but ${name} is not set`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, where, env, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = substituteEnv(v, where, env, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
