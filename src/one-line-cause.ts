/**
 * A thrown value as one line. esbuild (through tsx) reports a syntax error as "Transform failed with 1 error:" and
 * puts the useful part (file:line:col: ERROR: ...) on the next line, which one-line CLI errors used to cut off.
 */
export function oneLineCause(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}
