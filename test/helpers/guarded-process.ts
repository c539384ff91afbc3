/**
 * Servers a test starts (a second RabbitMQ node, a second nats-server) that must never outlive it. The command
 * runs in its own process group, led by a tiny sh watchdog that holds a pipe from the test process: when that pipe
 * closes (the test process exited, however it died, even by SIGKILL) the watchdog SIGKILLs the whole group. The
 * test kills the group itself with `killGroup()`; a process 'exit' hook does too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

/**
 * Starts the command in the background (its pid to $TSPOP_PID_FILE), then waits on fd 3, the test's pipe (an async
 * list's stdin is /dev/null, hence the dup); when it closes, the group is killed. A command that ends by itself
 * (a failed start) leaves the watchdog waiting: `exited()` tells, and `killGroup()` cleans up.
 */
const WATCHDOG = `
exec 3<&0
"$@" </dev/null &
echo $! > "$TSPOP_PID_FILE"
{ cat <&3 >/dev/null; kill -KILL 0; } &
wait $!
`;

export interface GuardedProcess {
  /** The watchdog (the group leader). */
  readonly leader: ChildProcess;
  /** The command's own pid, once the watchdog wrote it. */
  pid(): number | undefined;
  /** The command has ended by itself (or was killed). */
  exited(): boolean;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) signalGroup(p, 'SIGKILL');
});

/** Spawns `command args` under the watchdog; stdout and stderr are appended to `logFile`. */
export function spawnGuarded(command: string, args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; pidFile: string }): GuardedProcess {
  rmSync(o.pidFile, { force: true });
  const out = openSync(o.logFile, 'a');
  const leader = spawn('/bin/sh', ['-c', WATCHDOG, 'tspop-watchdog', command, ...args], {
    cwd: o.cwd, env: { ...o.env, TSPOP_PID_FILE: o.pidFile }, detached: true, stdio: ['pipe', out, out],
  });
  closeSync(out);
  live.add(leader);
  leader.once('exit', () => live.delete(leader));
  // the pipe is the watchdog's lifeline; neither it nor the child may keep the test process alive on its own
  (leader.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  leader.unref();
  const pid = (): number | undefined => {
    const text = existsSync(o.pidFile) ? readFileSync(o.pidFile, 'utf8').trim() : '';
    return text === '' ? undefined : Number(text);
  };
  return {
    leader,
    pid,
    exited: () => {
      const p = pid();
      return leader.exitCode !== null || leader.signalCode !== null || (p !== undefined && !isAlive(p));
    },
  };
}

/** SIGKILL to the whole group; resolves once the leader exited and no process of the group is left. */
export async function killGroup(g: GuardedProcess, timeoutMs = 30_000): Promise<void> {
  const p = g.leader;
  signalGroup(p, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while ((p.exitCode === null && p.signalCode === null) || (p.pid !== undefined && isAlive(-p.pid))) {
    if (Date.now() > deadline) throw new Error(`process group ${p.pid} still running ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 25));
  }
  live.delete(p);
}

function signalGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    // already gone
  }
}

/** `pid` (a negative one: a process group) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
