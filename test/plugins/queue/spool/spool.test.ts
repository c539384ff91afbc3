import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, QueueSpoolLockedError } from '../../../../src/index.ts';
import { SpoolWriter } from '../../../../plugins/queue/_lib/spool/spool-writer.ts';
import { SpoolReader } from '../../../../plugins/queue/_lib/spool/spool-reader.ts';

const CHILD = fileURLToPath(new URL('./push-child.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tspop-spool-'));
  dirs.push(d);
  return d;
}

/** Reads every record, acknowledging each; returns the payloads as strings. */
async function drain(dir: string): Promise<string[]> {
  const reader = new SpoolReader(dir, createMemoryLogger());
  await reader.open();
  const out: string[] = [];
  try {
    for (let rec = await reader.next(); rec; rec = await reader.next()) {
      out.push(rec.payload.toString());
      await reader.ack(rec);
    }
  } finally {
    await reader.close();
  }
  return out;
}

/** Runs push-child.ts; with killAfter, SIGKILLs it once that many pushes were acknowledged. */
function pushChild(dir: string, tag: string, opts: { killAfter?: number; count?: number }): Promise<{ acked: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, tag, String(opts.count ?? 'Infinity')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l && l !== 'DONE') acked.push(l);
      if (opts.killAfter !== undefined && acked.length >= opts.killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ acked, signal }));
  });
}

describe('disk spool', () => {
  it('gives back what was pushed, in order, and deletes segments it finished', async () => {
    const dir = tempDir();
    const w = new SpoolWriter(dir, { log: createMemoryLogger(), segmentBytes: 4096 });
    await Promise.all(Array.from({ length: 500 }, (_, i) => w.push(Buffer.from(`r${i}`))));
    await w.close();
    expect(w.stats.flushes).toBeLessThan(100);
    expect(await drain(dir)).toEqual(Array.from({ length: 500 }, (_, i) => `r${i}`));
    expect(readdirSync(dir).filter((f) => f.startsWith('seg-') && f.endsWith('.log'))).toEqual([]);
  });

  it('a restarted reader resumes after what was acknowledged', async () => {
    const dir = tempDir();
    const w = new SpoolWriter(dir, { log: createMemoryLogger() });
    for (let i = 0; i < 10; i++) await w.push(Buffer.from(`r${i}`));
    const r1 = new SpoolReader(dir, createMemoryLogger());
    await r1.open();
    for (let i = 0; i < 4; i++) await r1.ack((await r1.next())!);
    expect((await r1.next())!.payload.toString()).toBe('r4');
    await r1.close();
    await w.close();
    expect(await drain(dir)).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
  });

  it('one reader per directory', async () => {
    const dir = tempDir();
    const r1 = new SpoolReader(dir, createMemoryLogger());
    await r1.open();
    await expect(new SpoolReader(dir, createMemoryLogger()).open()).rejects.toBeInstanceOf(QueueSpoolLockedError);
    await r1.close();
  });

  it('a torn record at the end of a dead writer\'s segment is skipped, never returned', async () => {
    const dir = tempDir();
    const { acked, signal } = await pushChild(dir, 't', { killAfter: 300 });
    expect(signal).toBe('SIGKILL');
    const seg = readdirSync(dir).filter((f) => f.startsWith('seg-') && f.endsWith('.log')).sort().at(-1) as string;
    // a half-written record, as if the process died inside write()
    appendFileSync(join(dir, seg), Buffer.from([0x54, 0x53, 0x51, 0x31, 0, 0, 0, 50, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6]));
    const got = await drain(dir);
    for (const p of got) expect(JSON.parse(p)).toMatchObject({ tag: 't' });
    const ids = new Set(got.map((p) => `t:${(JSON.parse(p) as { i: number }).i}`));
    expect(acked.filter((a) => !ids.has(a))).toEqual([]);
  });

  it('kill -9 while pushing: every acknowledged push survives, nothing corrupt comes back, the next run resumes', async () => {
    const dir = tempDir();
    const first = await pushChild(dir, 'a', { killAfter: 3000 });
    expect(first.signal).toBe('SIGKILL');
    // a second writer process starts on the same directory while the first one's segments are still there
    const second = await pushChild(dir, 'b', { count: 500 });
    expect(second.signal).toBeNull();

    const got = (await drain(dir)).map((p) => JSON.parse(p) as { tag: string; i: number });
    const ids = got.map((r) => `${r.tag}:${r.i}`);
    const have = new Set(ids);
    expect(first.acked.filter((a) => !have.has(a))).toEqual([]);
    expect(second.acked.filter((a) => !have.has(a))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // per writer, records come back in the order they were written
    const aOrder = got.filter((r) => r.tag === 'a').map((r) => r.i);
    expect(aOrder).toEqual([...aOrder].sort((x, y) => x - y));
    expect(await drain(dir)).toEqual([]);
  }, 120_000);

  it('two writer processes at once on one directory lose nothing', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([pushChild(dir, 'a', { count: 2000 }), pushChild(dir, 'b', { count: 2000 })]);
    const got = (await drain(dir)).map((p) => JSON.parse(p) as { tag: string; i: number });
    expect(got.length).toBe(4000);
    const have = new Set(got.map((r) => `${r.tag}:${r.i}`));
    expect(have.size).toBe(4000);
    expect([...a.acked, ...b.acked].filter((id) => !have.has(id))).toEqual([]);
  }, 120_000);

  it('over max_queue_size the oldest segments are dropped and counted', async () => {
    const dir = tempDir();
    const w = new SpoolWriter(dir, { log: createMemoryLogger(), maxQueueBytes: 64 * 1024, segmentBytes: 8 * 1024 });
    for (let i = 0; i < 200; i++) await w.push(Buffer.alloc(1000, 1));
    await w.close();
    const total = readdirSync(dir).filter((f) => f.startsWith('seg-') && f.endsWith('.log')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
    expect(w.stats.dropped).toBeGreaterThan(100);
    expect((await drain(dir)).length).toBe(200 - w.stats.dropped);
  });
});
