/**
 * Exponential backoff with jitter for reconnect loops: `min * 2^attempt`, capped at `max`, then spread by up
 * to ±20% (never above `max`) so many clients restarting with the broker do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(maxMs, Math.max(minMs, jittered)));
}
