/**
 * Paths into test/fixtures, and throw-away copies of fixture trees for tests that edit plugin files
 * (reload, syntax errors). Copies live in the OS temp folder and are removed when the process exits.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const copies: string[] = [];

/** Absolute path of a fixture folder or file: `fixture('loading', 'eager')`. */
export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A fresh copy of a fixture folder that a test may edit. */
export function copyFixture(...parts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tspop-fixture-'));
  copies.push(dir);
  cpSync(fixture(...parts), dir, { recursive: true });
  return dir;
}

/** A fresh empty folder in the OS temp folder, removed when the process exits. */
export function scratchDir(): string {
  return tempDir('tspop-scratch-');
}

/** An empty folder in the OS temp dir, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copies.push(dir);
  return dir;
}

/**
 * Removes the copies and temp folders made so far. Call it from `afterAll`: vitest's forked workers do not always
 * emit 'exit', so that hook alone leaves folders behind.
 */
export function removeTempDirs(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

process.once('exit', removeTempDirs);

/** Where each sub sits on the hub (`plugins.a.x`), read from its toStringTag, for order assertions. */
export function subPaths(subs: Iterable<object>): string[] {
  return [...subs].map((s) => Object.prototype.toString.call(s).slice('[object Sub '.length, -1));
}

/** The value `fn` throws (fails the test when it does not throw), so a test can look at code, cause and message. */
export function caught(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

/** The reason `p` rejects with (fails the test when it resolves). */
export async function rejected(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
