/**
 * Reading an endpoint block's options once, when the service loads: each wrong type or unknown key is a
 * TSPOP_ERR_DRIPLINE_CONFIG naming the file, the endpoint and the key (with the closest known key for a typo).
 */
import { closest } from '../../../src/config/closest.ts';
import { DriplineConfigError } from '../_errors.ts';
import type { EndpointConfig } from './endpoint-types.ts';

export class EndpointOptions {
  readonly #config: EndpointConfig;
  readonly #used = new Set<string>();

  constructor(config: EndpointConfig) {
    this.#config = config;
  }

  #take(key: string): unknown {
    this.#used.add(key);
    return this.#config.options[key];
  }

  #fail(key: string, want: string, got: unknown): never {
    throw new DriplineConfigError(`${this.#config.where}: ${key} must be ${want}, got ${JSON.stringify(got)}`);
  }

  /** Any value (undefined when absent). */
  any(key: string): unknown {
    return this.#take(key);
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.#take(key);
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false|yes|no|on|off)$/i.test(v)) return /^(true|yes|on)$/i.test(v);
    return this.#fail(key, 'true or false', v);
  }

  number(key: string, dflt: number, min = -Infinity): number {
    const v = this.#take(key);
    if (v === undefined || v === null) return dflt;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min) return this.#fail(key, min === 0 ? 'a number >= 0' : 'a number', v);
    return n;
  }

  string(key: string, dflt: string): string {
    const v = this.#take(key);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string' || v === '') return this.#fail(key, 'a non-empty string', v);
    return v;
  }

  /** Throws for any key no reader asked for (a typo would otherwise be ignored silently). */
  checkNoneLeft(): void {
    const left = Object.keys(this.#config.options).filter((k) => !this.#used.has(k));
    if (left.length === 0) return;
    const key = left[0] as string;
    const hint = closest(key, this.#used);
    throw new DriplineConfigError(
      `${this.#config.where}: unknown option ${key} for module ${this.#config.module}${hint ? ` (did you mean ${hint}?)` : ''}; known: ${[...this.#used].sort().join(', ')}`,
    );
  }
}

/** A time interval in seconds: a number, or a dict of datetime.timedelta fields as dripline-python accepts. */
export function intervalSeconds(value: unknown, where: string, key: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const units: Record<string, number> = { weeks: 604_800, days: 86_400, hours: 3600, minutes: 60, seconds: 1, milliseconds: 1e-3, microseconds: 1e-6 };
    let total = 0;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const unit = units[k];
      if (unit === undefined || typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DriplineConfigError(`${where}: ${key}.${k} is not a timedelta field (${Object.keys(units).join(', ')}) with a number`);
      }
      total += v * unit;
    }
    if (total >= 0) return total;
  }
  throw new DriplineConfigError(`${where}: ${key} must be seconds (a number >= 0) or a timedelta dict like { minutes: 5 }, got ${JSON.stringify(value)}`);
}
