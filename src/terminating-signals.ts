import { constants } from 'node:os';

/**
 * The signals whose default action ends the process and that JavaScript can usefully catch: cleanup that must
 * happen on every way out (plaintext temp files) listens to all of them, not only SIGINT and SIGTERM. Left out:
 * SIGKILL and SIGSTOP (cannot be caught), SIGSEGV/SIGBUS/SIGFPE/SIGILL (the process is not in a state to run
 * JavaScript), SIGABRT and SIGTRAP (abort() and debuggers), SIGUSR1 (Node's inspector) and SIGPIPE (ignored by
 * Node).
 */
export const TERMINATING_SIGNALS: readonly NodeJS.Signals[] = (
  ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGPROF', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGSYS', 'SIGIO', 'SIGSTKFLT'] as const
).filter((s) => s in constants.signals);

/** The exit status a shell reports for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

/** Calls `handler` on any of TERMINATING_SIGNALS until the returned function is called. */
export function onTerminatingSignal(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const s of TERMINATING_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of TERMINATING_SIGNALS) process.off(s, handler);
  };
}
