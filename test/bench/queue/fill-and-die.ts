/** Bench helper: fills a spool with `bytes` of 4 KiB records as fast as it can, says READY, then waits to be killed. */
import { createMemoryLogger } from '../../../src/index.ts';
import { SpoolWriter } from '../../../plugins/queue/_lib/spool/spool-writer.ts';

const [dir, bytesArg] = process.argv.slice(2) as [string, string];
const target = Number(bytesArg);
const writer = new SpoolWriter(dir, { log: createMemoryLogger(), maxQueueBytes: target * 2 });
const record = Buffer.alloc(4096 - 16, 0x61);
let written = 0;
async function lane(): Promise<void> {
  while (written < target) {
    written += 4096;
    await writer.push(record);
  }
}
await Promise.all(Array.from({ length: 64 }, lane));
process.stdout.write('READY\n');
setInterval(() => undefined, 1000);
