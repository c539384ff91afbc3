/**
 * Loads TS plugin files in a separate plain `node` process through the transforming loader (bundled, so the child
 * has no TS loader of its own), for what only a whole process shows: source-mapped stack traces, the esbuild
 * service gone when the work is done, several processes sharing one cache.
 */
import { spawn } from 'node:child_process';
import { bundleSource } from './bundle-source.ts';

let bundle: Promise<string> | undefined;

export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** what the child printed as JSON on its last line */
  readonly report: ChildReport;
  readonly ms: number;
}

export interface ChildReport {
  /** export names per loaded file */
  readonly exports: Record<string, string[]>;
  /** `err.stack` of calling `call` (a function exported by the first file), if given */
  readonly stack?: string;
  /** child processes still running when the child's event loop emptied */
  readonly children: string[];
}

const SCRIPT = `
import { execFileSync } from 'node:child_process';
const [bundle, cacheDir, call, ...files] = process.argv.slice(1);
const { NodeModuleLoader } = await import(bundle);
const loader = new NodeModuleLoader({ ts: 'transform', cacheDir });
const report = { exports: {}, children: [] };
const mods = await Promise.all(files.map((f) => loader.load(f)));
files.forEach((f, i) => { report.exports[f] = Object.keys(mods[i]).sort(); });
if (call) {
  try { mods[0][call](undefined, { why: 'on purpose' }); } catch (err) { report.stack = err.stack; }
}
process.once('beforeExit', () => {
  const ps = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  report.children = ps.split('\\n').map((l) => l.trim().split(/\\s+/)).filter((c) => c[1] === String(process.pid) && !c[2]?.endsWith('ps')).map((c) => c.slice(2).join(' '));
  console.log(JSON.stringify(report));
});
`;

/** Runs the loader in a child on `files`; `call` names a function of the first file to call (and record the stack of). */
export async function loadInChild(files: string[], opts: { cacheDir: string; call?: string; env?: NodeJS.ProcessEnv }): Promise<ChildResult> {
  const path = await (bundle ??= bundleSource('module-loader'));
  const t0 = performance.now();
  const env = { ...process.env, ...opts.env };
  delete env.VITEST;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, path, opts.cacheDir, opts.call ?? '', ...files], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = stdout.trim().split('\n').pop() ?? '';
  let report: ChildReport = { exports: {}, children: [] };
  try {
    report = JSON.parse(last) as ChildReport;
  } catch {
    // the child failed before reporting: the test sees code and stderr
  }
  return { code, stdout, stderr, report, ms: performance.now() - t0 };
}
