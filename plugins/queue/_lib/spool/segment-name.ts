/**
 * Segment files: `seg-<ms>-<seq>-<host>-<pid>-<rand>.log`. Each writer appends only to its own segments, so
 * writers in several processes (or on several hosts sharing queue_dir) never interleave bytes; the name sorts by
 * creation time, which is the order readers take them in.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

const PATTERN = /^seg-(\d{15})-(\d{6})-([A-Za-z0-9_.]+)-(\d+)-([0-9a-f]{8})\.log$/;
const HOST = hostname().replace(/[^A-Za-z0-9_.]/g, '_') || 'host';
let seq = 0;

export interface SegmentName {
  readonly file: string;
  readonly host: string;
  readonly pid: number;
}

export function newSegmentName(): string {
  seq = (seq + 1) % 1_000_000;
  return `seg-${String(Date.now()).padStart(15, '0')}-${String(seq).padStart(6, '0')}-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}.log`;
}

export function parseSegmentName(file: string): SegmentName | undefined {
  const m = PATTERN.exec(file);
  return m ? { file, host: m[3] as string, pid: Number(m[4]) } : undefined;
}

export function thisHost(): string {
  return HOST;
}
