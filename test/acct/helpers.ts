/** Shared by the acct tests: a hub with the acct dyne (and the acct-host fixture's plugins), temp folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Hub, createMemoryLogger, type Hub as HubType } from '../../src/index.ts';
import { fixture } from '../helpers/fixtures.ts';

export type MemoryLogger = ReturnType<typeof createMemoryLogger>;

/** A hub whose acct sub merges tspop's acct/ with the acct-host fixture's (gather plugins, a test backend). */
export async function acctHub(): Promise<{ hub: HubType; log: MemoryLogger }> {
  const log = createMemoryLogger();
  const hub = await Hub.create({ root: fixture('acct-host'), logger: log });
  await hub.pop.sub.add({ dyneName: 'acct' });
  return { hub, log };
}

/** A temp folder removed after the file's tests. */
export function tempDir(prefix = 'tspop-acct-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every logged line (message and fields) as one string, to check that no secret got in. */
export function logText(log: MemoryLogger): string {
  return log.records.map((r) => `${r.level} ${r.msg} ${JSON.stringify(r.fields ?? {})}`).join('\n');
}

/** Small seeded PRNG so a failing fuzz run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
