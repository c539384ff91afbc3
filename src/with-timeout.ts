import { ModLoadError } from './errors.ts';

/** Plugin code runs at load time (imports, __virtual__, __init__); one that hangs must not hang the hub. */
export async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  makeError: (message: string) => Error = (message) => new ModLoadError(message),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `p` (fulfilled or rejected) at most `ms`; true when it settled in time. For shutdown paths that must end. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  return done;
}
