/**
 * hub.evbus.acct — where a bus run's contexts come from. acct owns credentials; the gather plugins in
 * `acct/evbus/<plugin>.ts` (sub `hub.acct.evbus`) turn raw profiles into ready contexts such as an AMQP
 * connection manager. Gathering is strict here (acct's `hardFail`): a bad profile fails `start()` with the
 * plugin's own coded error instead of silently leaving its events nowhere to go.
 */
import type { Hub } from '../../src/index.ts';
import { TspopError, describeError } from '../../src/errors.ts';
import { EvbusAcctError } from './_errors.ts';
import { normalizeContexts } from './_lib/contexts.ts';
import type { EvbusContexts } from './_lib/types.ts';
import type { Dynamic } from '../../src/types.ts';

/**
 * Contexts from acct: unlocks `acctFile` first when given, then `hub.acct.init.gather(['evbus'])`.
 * Returns undefined when no acct file is given and `hub.acct` is absent or locked (the embedded default).
 */
export async function profiles(hub: Hub, opts: { acctFile?: string; acctKey?: string } = {}): Promise<EvbusContexts | undefined> {
  if (opts.acctFile) {
    await acctSub(hub);
    await hub.acct.init.unlock(opts.acctFile, opts.acctKey);
  }
  if (hub.acct === undefined || hub.acct.UNLOCKED !== true) return undefined;
  if (typeof hub.acct.init?.gather !== 'function') throw new EvbusAcctError('hub.acct is unlocked but hub.acct.init.gather is not available');
  return unwrap(() => hub.acct.init.gather(['evbus'], undefined, { hardFail: true, hold: true }));
}

/**
 * Runs raw profiles (`{ provider: { name: data } }`, or pop's list form) through the acct/evbus gather plugins,
 * each getting only the providers in its ACCT; providers no plugin serves pass through unchanged. Hand the
 * result to `close` when done with it.
 */
export async function gather(hub: Hub, raw: EvbusContexts): Promise<EvbusContexts> {
  const { contexts } = normalizeContexts(raw, 'profiles');
  await acctSub(hub);
  const processed = (await unwrap(() => hub.acct.init.process(['evbus'], contexts, { hardFail: true, hold: true }))) as EvbusContexts;
  return { ...contexts, ...processed };
}

/**
 * Hands the contexts of a run back to acct (`hub.acct.init.release`), which closes them through the gather plugins
 * that made them, once. `force`: the bus gave up draining, so they close without flushing.
 */
export async function close(hub: Hub, processed: EvbusContexts, opts: { force?: boolean } = {}): Promise<void> {
  if (typeof hub.acct?.init?.release !== 'function') return;
  try {
    await hub.acct.init.release(processed, opts);
  } catch (err) {
    hub.log.error('evbus: closing acct contexts failed', { error: describeError(err, { redact: true }) });
  }
}

/** `hub.acct`, added (with its nested subs, e.g. hub.acct.evbus) when the hub does not have it yet. */
async function acctSub(hub: Hub): Promise<Dynamic> {
  if (hub.acct === undefined) await hub.pop.sub.add({ dyneName: 'acct' });
  for (const fn of ['unlock', 'process', 'gather', 'release']) {
    if (typeof hub.acct.init?.[fn] !== 'function') throw new EvbusAcctError(`hub.acct.init.${fn} is not available; evbus needs acct to read profiles`);
  }
  return hub.acct;
}

/** acct wraps a gather plugin's failure in TSPOP_ERR_ACCT_GATHER; surface the plugin's own coded error (it names the profile). */
async function unwrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (TspopError.is(err) && err.code === 'TSPOP_ERR_ACCT_GATHER' && TspopError.is(err.cause)) throw err.cause;
    throw err;
  }
}
