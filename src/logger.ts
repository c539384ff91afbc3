import { redactKnown, redactUrls } from './redact.ts';
import type { Logger } from './types.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * Levels a logger can change while running: `level` for every record, `areas` per area. A record's area is the
 * word before the first colon of its message (`'kv: store unreachable'` is area `kv`); `kv` also covers `kv.etcd`.
 */
export interface LogLevels {
  readonly level?: LogLevel;
  readonly areas?: Readonly<Record<string, LogLevel>>;
}

/** A logger whose levels can be set live (the console and memory loggers are). */
export interface LevelledLogger extends Logger {
  setLevels(levels: LogLevels): void;
  /** The levels in force now. */
  levels(): LogLevels;
}

export function isLevelledLogger(logger: Logger): logger is LevelledLogger {
  const l = logger as Partial<LevelledLogger>;
  return typeof l.setLevels === 'function' && typeof l.levels === 'function';
}

const ALIASES: Record<string, LogLevel> = { warning: 'warn', critical: 'error', fatal: 'error', off: 'silent', none: 'silent' };

/** `'DEBUG'`, `'warning'`, `'CRITICAL'` (Python's names too) as a LogLevel; undefined when it is none. */
export function parseLogLevel(name: unknown): LogLevel | undefined {
  if (typeof name !== 'string') return undefined;
  const n = name.trim().toLowerCase();
  if (Object.hasOwn(LEVELS, n)) return n as LogLevel;
  return Object.hasOwn(ALIASES, n) ? ALIASES[n] : undefined;
}

const AREA = /^([\w.-]+):/;

/** Decides per record; `set` replaces the levels (the areas too, so a removed area falls back to `level`). */
function levelGate(initial: LogLevels) {
  let current: Required<LogLevels> = { level: initial.level ?? 'debug', areas: { ...initial.areas } };
  const minFor = (msg: string): number => {
    const area = AREA.exec(msg)?.[1];
    for (let a = area; a; a = a.includes('.') ? a.slice(0, a.lastIndexOf('.')) : undefined) {
      const lvl = current.areas[a];
      if (lvl) return LEVELS[lvl];
    }
    return LEVELS[current.level];
  };
  return {
    enabled: (lvl: Exclude<LogLevel, 'silent'>, msg: string): boolean => LEVELS[lvl] >= minFor(msg),
    set: (levels: LogLevels): void => {
      current = { level: levels.level ?? current.level, areas: { ...levels.areas } };
    },
    get: (): LogLevels => ({ level: current.level, areas: { ...current.areas } }),
  };
}

/**
 * The default logger: one line per record on stderr, `key=value` fields after the message. Callers never pass
 * secrets in fields; as a second line of defence every line has URL passwords and key-like words masked (a
 * driver's error text in a field may carry one). Level comes from TSPOP_LOG_LEVEL (default warn) so library
 * use stays quiet.
 */
export function createConsoleLogger(level: LogLevel = envLevel(), write: (line: string) => void = (l) => process.stderr.write(l)): LevelledLogger {
  const gate = levelGate({ level });
  const emit = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (!gate.enabled(lvl, msg)) return;
    write(redactKnown(redactUrls(`[tspop] ${lvl.toUpperCase()} ${msg}${formatFields(fields)}`)) + '\n');
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), setLevels: gate.set, levels: gate.get };
}

function envLevel(): LogLevel {
  const v = process.env.TSPOP_LOG_LEVEL?.toLowerCase();
  return v && v in LEVELS ? (v as LogLevel) : 'warn';
}

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const s = typeof v === 'string' ? v : v instanceof Error ? v.message : JSON.stringify(v);
    out += ` ${k}=${/[\s"]/.test(s) ? JSON.stringify(s) : s}`;
  }
  return out;
}

/** A logger that records instead of printing (every level until `setLevels` says otherwise); for tests and hosts that forward records. */
export function createMemoryLogger(): LevelledLogger & { records: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const records: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const gate = levelGate({ level: 'debug' });
  const rec = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (gate.enabled(level, msg)) records.push({ level, msg, fields });
  };
  return { records, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error'), setLevels: gate.set, levels: gate.get };
}
