/**
 * hub.evbus.acct — where a bus run's contexts come from. acct owns credentials; the gather plugins in
 * `acct/evbus/<plugin>.ts` (sub `hub.acct.evbus`) turn raw profiles into ready contexts such as an AMQP
 * connection manager. Gathering is strict here (acct's `hardFail`): a bad profile fails `start()` with the
 * plugin's own coded error instead of silently leaving its events nowhere to go.
 */
import type { Hub } from '../../src/index.ts';
import { EvbusAcctError, TspopError, describeError } from '../../src/errors.ts';
import { normalizeContexts, pickProviders } from '../../src/evbus/contexts.ts';
import type { EvbusContexts } from '../../src/evbus/types.ts';
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
  return unwrap(() => hub.acct.init.gather(['evbus'], undefined, { hardFail: true }));
}

/**
 * Runs raw profiles (`{ provider: { name: data } }`, or pop's list form) through the acct/evbus gather plugins,
 * each getting only the providers in its ACCT; providers no plugin serves pass through unchanged. Hand the
 * result to `close` when done with it.
 */
export async function gather(hub: Hub, raw: EvbusContexts): Promise<EvbusContexts> {
  const { contexts } = normalizeContexts(raw, 'profiles');
  await acctSub(hub);
  const processed = (await unwrap(() => hub.acct.init.process(['evbus'], contexts, { hardFail: true }))) as EvbusContexts;
  return { ...contexts, ...processed };
}

/**
 * Calls each acct/evbus gather plugin's `close(hub, processed)` with its providers of `processed`, once: what is
 * closed here is taken off acct's list (`hub.acct.GATHERED`), so hub.close() does not close it a second time.
 */
export async function close(hub: Hub, processed: EvbusContexts): Promise<void> {
  const sub = hub.acct?.evbus;
  if (sub === undefined) return;
  forget(hub, processed);
  for (const mod of sub as Iterable<Dynamic>) {
    if (typeof mod.close !== 'function') continue;
    const mine = pickProviders(processed, Array.isArray(mod.ACCT) ? mod.ACCT : [mod.name]);
    if (Object.keys(mine).length === 0) continue;
    try {
      await mod.close(mine);
    } catch (err) {
      hub.log.error('evbus: closing acct contexts failed', { plugin: `acct.evbus.${mod.name}`, error: describeError(err) });
    }
  }
}

/**
 * Drops from `hub.acct.GATHERED` (what acct closes on hub.close()) the acct.evbus entries holding ctx objects of
 * `processed`, and the empty ones every evbus gather leaves behind, so the list does not grow with each run.
 */
function forget(hub: Hub, processed: EvbusContexts): void {
  const gathered: unknown = hub.acct.GATHERED;
  if (!Array.isArray(gathered)) return;
  const ctxs = new Set(Object.values(processed).flatMap((byName) => Object.values(byName ?? {})));
  const values = (entry: { processed?: EvbusContexts }) => Object.values(entry.processed ?? {}).flatMap((byName) => Object.values(byName ?? {}));
  const ours = (entry: { ref?: unknown; processed?: EvbusContexts }) => {
    if (typeof entry?.ref !== 'string' || !entry.ref.startsWith('acct.evbus.')) return false;
    const held = values(entry);
    return held.length === 0 || held.some((v) => ctxs.has(v));
  };
  for (let i = gathered.length - 1; i >= 0; i--) if (ours(gathered[i])) gathered.splice(i, 1);
}

/** `hub.acct`, added (with its nested subs, e.g. hub.acct.evbus) when the hub does not have it yet. */
async function acctSub(hub: Hub): Promise<Dynamic> {
  if (hub.acct === undefined) await hub.pop.sub.add({ dyneName: 'acct' });
  for (const fn of ['unlock', 'process', 'gather']) {
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
