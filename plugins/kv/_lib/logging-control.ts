/**
 * Logging configuration from the store, as clc_msa_utils' LogManager reads it: `logging_level` (DEBUG, INFO,
 * WARNING, ERROR, CRITICAL; any case) sets the hub logger's level, `logging_config` (`{ "<area>": "<level>" }`)
 * the level of one area (`kv`, `evbus`, `kv.etcd` ...: the word before the colon of a log message). Applied on
 * every load; when the keys go away the levels the logger had before are restored.
 */
import { isLevelledLogger, parseLogLevel, type LevelledLogger, type LogLevel, type LogLevels } from '../../../src/logger.ts';
import type { Logger } from '../../../src/index.ts';
import type { KvConfig } from './types.ts';

export class LoggingControl {
  readonly #logger: Logger;
  #before: LogLevels | undefined;
  #warned = new Set<string>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  apply(config: KvConfig): void {
    const wanted = this.#levelsIn(config);
    if (!wanted && !this.#before) return;
    if (!isLevelledLogger(this.#logger)) {
      this.#warnOnce('unsupported', 'kv: logging_level/logging_config are set but the hub logger has no setLevels(); they are ignored');
      return;
    }
    const logger: LevelledLogger = this.#logger;
    if (!wanted) {
      logger.setLevels(this.#before as LogLevels);
      this.#before = undefined;
      return;
    }
    this.#before ??= logger.levels();
    logger.setLevels({ level: wanted.level ?? this.#before.level, areas: wanted.areas });
  }

  #levelsIn(config: KvConfig): LogLevels | undefined {
    const rawLevel = config.logging_level;
    const rawAreas = config.logging_config;
    if (rawLevel === undefined && rawAreas === undefined) return undefined;
    const level = rawLevel === undefined ? undefined : this.#level(rawLevel, 'logging_level');
    const areas: Record<string, LogLevel> = {};
    if (typeof rawAreas === 'object' && rawAreas !== null && !Array.isArray(rawAreas)) {
      for (const [area, raw] of Object.entries(rawAreas)) {
        const lvl = this.#level(raw, `logging_config.${area}`);
        if (lvl) areas[area] = lvl;
      }
    } else if (rawAreas !== undefined) {
      this.#warnOnce(`logging_config=${JSON.stringify(rawAreas)}`, 'kv: logging_config must map areas to levels; ignored');
    }
    return { level, areas };
  }

  #level(raw: unknown, key: string): LogLevel | undefined {
    const lvl = parseLogLevel(raw);
    if (!lvl) this.#warnOnce(`${key}=${JSON.stringify(raw)}`, `kv: ${key} is not a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL); ignored`, { value: raw });
    return lvl;
  }

  #warnOnce(id: string, msg: string, fields?: Record<string, unknown>): void {
    if (this.#warned.has(id)) return;
    this.#warned.add(id);
    this.#logger.warn(msg, fields);
  }
}
