// Shared by the bin shims: enable TypeScript for this process once, then run the named TS entry point.
import { register as registerEsm } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

const FLAG = Symbol.for('tspop.tsx.registered');

export async function runTs(entry) {
  if (!globalThis[FLAG]) {
    registerEsm();
    registerCjs();
    globalThis[FLAG] = Promise.resolve();
  }
  const mod = await import(new URL(entry, import.meta.url).href);
  process.exitCode = await mod.default();
}
