import type { TspopError, TspopErrorClass } from '../errors.ts';

/** A config error: a usage problem, so the CLI exits with 2 as argparse does. */
export type ConfigError = TspopError & { readonly exitCode: 2 };

/** Makes a config error with a one-line message and `exitCode = 2`. */
export function configError(cls: TspopErrorClass, message: string, cause?: unknown): ConfigError {
  const err = new cls(message.replace(/\s*[\r\n]+\s*/g, ' ').trim(), cause === undefined ? undefined : { cause });
  Object.defineProperty(err, 'exitCode', { value: 2, enumerable: true });
  return err as ConfigError;
}
