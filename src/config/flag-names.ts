import { ConfigDefinitionError } from '../errors.ts';
import { configError } from './config-error.ts';

export interface FlagNames {
  /** `--key-with-dashes`, then the `options` aliases. */
  readonly flags: readonly string[];
  /** `--key_with_underscores` when it differs: accepted, not shown in help. */
  readonly hidden: readonly string[];
}

const SHORT = /^-[^-\s=]$/;
const LONG = /^--[^-\s=][^\s=]*$/;

/**
 * The flags of a CLI_CONFIG key. `options` spellings follow pop-config: `c` -> `-c`, `cheese` -> `--cheese`.
 * An explicit long spelling leads (help and errors name it) and the key's own spelling is still accepted, so two
 * dynes can offer `--output` from differently named keys (`output`, `evbus_output`).
 */
export function flagNames(project: string, key: string, options: readonly string[] | undefined): FlagNames {
  const primary = `--${key.replace(/_/g, '-')}`;
  const flags = [primary];
  for (const raw of options ?? []) {
    const flag = raw.startsWith('-') ? raw : raw.length === 1 ? `-${raw}` : `--${raw}`;
    if (!SHORT.test(flag) && !LONG.test(flag)) {
      throw configError(ConfigDefinitionError, `${project} CLI_CONFIG.${key}: bad flag "${raw}" in options (use "-k" or "--name")`);
    }
    if (!flags.includes(flag)) flags.push(flag);
  }
  if (!LONG.test(primary)) throw configError(ConfigDefinitionError, `${project} CLI_CONFIG.${key}: the key cannot be a flag name`);
  const alias = `--${key}`;
  const hidden = flags.includes(alias) ? [] : [alias];
  const explicitLong = flags.slice(1).filter((f) => LONG.test(f));
  if (explicitLong.length === 0) return { flags, hidden };
  return { flags: [...explicitLong, ...flags.slice(1).filter((f) => !LONG.test(f))], hidden: [primary, ...hidden.filter((h) => h !== primary)] };
}

/** `--no-key-with-dashes`. */
export function negatedFlag(key: string): string {
  return `--no-${key.replace(/_/g, '-')}`;
}
