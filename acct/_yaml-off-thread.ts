/**
 * Big acct documents are parsed and rendered in a worker thread. YAML parsing is synchronous and slow (a 50 MB
 * file takes minutes), and while JavaScript runs no signal handler can: `acct encrypt` of such a file ignored
 * SIGTERM. Off the main thread, the CLI stays responsive, can show progress, and stops the worker at once on a
 * signal. Small documents (the usual) are handled in-thread: a worker costs more than they do.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { TspopError, type TspopErrorClass } from '../src/errors.ts';
import * as acctErrors from './_errors.ts';
import { AcctInterruptedError } from './_errors.ts';
import { parseAcctYaml, renderProfiles, renderProfilesQuickly } from './_yaml.ts';
import { signalExitCode } from '../src/terminating-signals.ts';
import { requireCjs } from '../src/require-cjs.ts';
import type { AcctData } from './_file-format.ts';
import type { YamlJob, YamlReply } from './_yaml-worker.ts';

/** Above this many characters, a document goes to a worker. */
export const OFF_THREAD_CHARS = 1 << 20;

/**
 * Up to this size, output that needs no `yaml` library (JSON, plain profiles) is rendered in this thread: it runs
 * at about 40 MB/s, so it blocks for ~0.2 s at most, while starting a worker and copying the data to it cost more
 * than that (a 2 MB file printed in 0.55 s through the worker, 0.25 s without).
 */
export const QUICK_IN_THREAD_CHARS = 8 << 20;

export interface OffThreadOptions {
  /** Aborting it stops the work at once (AcctInterruptedError, whose exitCode follows the signal if the reason names one). */
  readonly signal?: AbortSignal;
  /** Called about once a second while a worker runs, with the seconds so far. */
  readonly onProgress?: (seconds: number) => void;
}

export function parseAcctYamlOffThread(text: string, file: string, opts: OffThreadOptions = {}): Promise<AcctData> {
  if (text.length < OFF_THREAD_CHARS) return Promise.resolve().then(() => parseAcctYaml(text, file));
  return inWorker<AcctData>({ op: 'parse', text, file }, opts);
}

/** `sizeHint`: the size of what the data came from (the acct file), to decide without walking the data. */
export function renderProfilesOffThread(data: AcctData, format: 'yaml' | 'json', sizeHint: number, opts: OffThreadOptions = {}): Promise<string> {
  if (sizeHint < OFF_THREAD_CHARS / 2) return Promise.resolve().then(() => renderProfiles(data, format));
  const quick = sizeHint < QUICK_IN_THREAD_CHARS ? renderProfilesQuickly(data, format) : undefined;
  if (quick !== undefined) return Promise.resolve(quick);
  return inWorker<string>({ op: 'render', data, format }, opts);
}

// The worker runs the same module tree as this file: from sources during development (TypeScript through tsx,
// which a worker does not inherit), compiled JavaScript in the package.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./_yaml-worker.${FROM_SOURCES ? 'ts' : 'js'}`, import.meta.url).href;
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})().catch((err) => require('node:worker_threads').parentPort.postMessage({ code: undefined, message: String(err && err.message || err) }));
`;

function inWorker<T>(job: YamlJob, opts: OffThreadOptions): Promise<T> {
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(interrupted(signal));
  return new Promise<T>((resolve, reject) => {
    const loader = FROM_SOURCES ? import.meta.resolve('tsx/esm/api') : undefined;
    // required here, not imported: loading worker_threads added ~6 ms to `node -e` (paired runs), which every
    // `acct` start paid, and small files never get this far
    const { Worker } = requireCjs('node:worker_threads') as typeof WorkerThreads;
    const worker = new Worker(BOOT, { eval: true, workerData: { job, entry: ENTRY, loader } });
    const started = Date.now();
    const ticker = opts.onProgress ? setInterval(() => opts.onProgress?.(Math.round((Date.now() - started) / 1000)), 1000) : undefined;
    const onAbort = (): void => {
      void worker.terminate();
      finish(() => reject(interrupted(signal as AbortSignal)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.once('message', (reply: YamlReply) => {
      void worker.terminate();
      finish(() => ('ok' in reply ? resolve(reply.ok as T) : reject(rebuild(reply))));
    });
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', () => finish(() => reject(new acctErrors.AcctFormatError('the YAML worker ended without an answer'))));
  });
}

/** The same coded error class in this thread (a worker can only send data). */
function rebuild(reply: { code: string | undefined; message: string }): Error {
  const cls = Object.values(acctErrors).find((c) => (c as TspopErrorClass).code === reply.code) as TspopErrorClass | undefined;
  return cls ? new cls(reply.message) : new Error(reply.message);
}

function interrupted(signal: AbortSignal): TspopError {
  const reason = signal.reason as { signal?: NodeJS.Signals } | undefined;
  const err = new AcctInterruptedError(`stopped${reason?.signal ? ` by ${reason.signal}` : ''} before it was done; nothing was written`);
  Object.defineProperty(err, 'exitCode', { value: reason?.signal ? signalExitCode(reason.signal) : 1, enumerable: true });
  return err;
}
