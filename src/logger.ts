import { redactKnown, redactUrls } from './redact.ts';
import type { Logger } from './types.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * The default logger: one line per record on stderr, `key=value` fields after the message. Callers never pass
 * secrets in fields; as a second line of defence every line has URL passwords and key-like words masked (a
 * driver's error text in a field may carry one). Level comes from TSPOP_LOG_LEVEL (default warn) so library
 * use stays quiet.
 */
export function createConsoleLogger(level: LogLevel = envLevel(), write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LEVELS[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    write(redactKnown(redactUrls(`[tspop] ${lvl.toUpperCase()} ${msg}${formatFields(fields)}`)) + '\n');
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
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

/** A logger that records instead of printing; handy in tests and for hosts that forward records. */
export function createMemoryLogger(): Logger & { records: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const records: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const rec = (level: string) => (msg: string, fields?: Record<string, unknown>) => void records.push({ level, msg, fields });
  return { records, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}
