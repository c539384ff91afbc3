/**
 * Child process for the spool crash tests: pushes numbered records to argv[2] as fast as it can (many in
 * flight), printing each number once its push resolved, until it is killed. argv[3] = a tag for the payload.
 */
import { createMemoryLogger } from '../../../../src/index.ts';
import { SpoolWriter } from '../../../../plugins/queue/_lib/spool/spool-writer.ts';

const dir = process.argv[2] as string;
const tag = process.argv[3] ?? 'w';
const count = Number(process.argv[4] ?? Infinity);
const writer = new SpoolWriter(dir, { log: createMemoryLogger(), segmentBytes: 256 * 1024 });
let n = 0;
let acked: string[] = [];
setInterval(() => {
  if (acked.length) process.stdout.write(acked.join('\n') + '\n');
  acked = [];
}, 5).unref();
async function lane(): Promise<void> {
  while (n < count) {
    const i = n++;
    await writer.push(Buffer.from(JSON.stringify({ tag, i, pad: 'x'.repeat(i % 300) })));
    acked.push(`${tag}:${i}`);
  }
}
await Promise.all(Array.from({ length: 32 }, lane));
await writer.close();
process.stdout.write(acked.join('\n') + '\nDONE\n');
