/**
 * The worker side of acct/_yaml-off-thread.ts: parses or renders one acct document and posts the result, or the
 * error's code and message (never a stack: it may quote nothing secret, but the class is all the caller needs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TspopError } from '../src/errors.ts';
import { parseAcctYaml, renderProfiles } from './_yaml.ts';
import type { AcctData } from './_file-format.ts';

export type YamlJob = { readonly op: 'parse'; readonly text: string; readonly file: string } | { readonly op: 'render'; readonly data: AcctData; readonly format: 'yaml' | 'json' };
export type YamlReply = { readonly ok: unknown } | { readonly code: string | undefined; readonly message: string };

const job = (workerData as { job: YamlJob }).job;
let reply: YamlReply;
try {
  reply = { ok: job.op === 'parse' ? parseAcctYaml(job.text, job.file) : renderProfiles(job.data, job.format) };
} catch (err) {
  reply = { code: TspopError.is(err) ? err.code : undefined, message: err instanceof Error ? err.message : String(err) };
}
parentPort?.postMessage(reply);
