/**
 * hub.evbus.init — the event bus lifecycle, after pop-evbus: `start(opts)` runs until `stop()`, `join()` waits
 * until it is running. Events `put` before `start` wait on the bus; `stop()` resolves (and `start()` returns)
 * once everything put before it was handed to the ingress plugins and their publishes settled.
 *
 * State on the sub: STARTED, BUS (the bounded queue), SERIAL_PLUGIN, RUN (the current run), CLOSE_TIMEOUT_MS.
 */
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/errors.ts';
import { EvbusAlreadyStartedError } from './_errors.ts';
import { BoundedQueue } from '../../src/bounded-queue.ts';
import { within } from '../../src/with-timeout.ts';
import { BusRun, type BusItem, type StopMarker } from './_lib/bus-run.ts';
import { createFailureReporter } from './_lib/failure-reporter.ts';
import { DEFAULTS, queueSize, resolveStartOptions } from './_lib/start-options.ts';
import { buildLanes } from './_lib/build-lanes.ts';
import { errorCallback, matcher, serialPlugin } from './_lib/plugin-lookup.ts';
import type { EvbusContexts, EvbusStartOptions } from './_lib/types.ts';

interface RunState {
  readonly marker: StopMarker;
  stopping: boolean;
  /** Contexts this run gathered (from `opts.profiles` or acct): closed when the run ends. */
  owned: EvbusContexts | undefined;
  readonly finished: Promise<void>;
  readonly finish: () => void;
}

interface Joiner {
  resolve(): void;
  reject(err: unknown): void;
}

/** Sets up the bus (so events can be put before start) and adds the subs it uses: serial, ingress, evbus.match. */
export async function __init__(hub: Hub): Promise<void> {
  const sub = hub.__;
  sub.STARTED = false;
  sub.RUN = undefined;
  sub.JOINERS = [] as Joiner[];
  sub.ID = randomUUID().slice(0, 8);
  sub.SEQ = 0;
  sub.CLOSE_TIMEOUT_MS = 10_000;
  sub.SERIAL_PLUGIN = hub.OPT.evbus?.serial_plugin ?? DEFAULTS.serialPlugin;
  sub.BUS = new BoundedQueue<BusItem>(queueSize(hub.OPT.evbus?.queue_size ?? DEFAULTS.queueSize));
  for (const dyne of ['serial', 'ingress']) {
    if (hub[dyne] === undefined) await hub.pop.sub.add({ dyneName: dyne });
  }
  await hub.pop.sub.loadSubdirs(sub, { recurse: true });
}

/**
 * Runs the bus until `stop()`. Contexts come from, in order: `opts.contexts` (used as given, never closed),
 * `opts.profiles` (raw profiles gathered through the acct/evbus plugins), `opts.acctFile`/`acctKey` (unlocked and
 * gathered through acct), or an already unlocked `hub.acct`. What the run gathered it closes when it ends. The
 * internal ingress gets a `*` profile when nothing else would receive events (see `internalDefault`).
 */
export async function start(hub: Hub, opts: EvbusStartOptions = {}): Promise<void> {
  const sub = hub.__;
  if (sub.RUN) throw new EvbusAlreadyStartedError('the event bus is already running: stop() it before starting again');
  let finish!: () => void;
  const run: RunState = { marker: { stop: true }, stopping: false, owned: undefined, finished: new Promise<void>((r) => (finish = r)), finish };
  sub.RUN = run;
  try {
    const o = resolveStartOptions(opts, hub.OPT.evbus);
    serialPlugin(hub, o.serialPlugin);
    sub.SERIAL_PLUGIN = o.serialPlugin;
    sub.BUS.capacity = o.queueSize;
    const onError = o.errorCallbackRef ? errorCallback(hub, o.errorCallbackRef) : undefined;
    let contexts: unknown = o.contexts;
    if (contexts === undefined && o.profiles !== undefined) contexts = run.owned = await sub.acct.gather(o.profiles);
    if (contexts === undefined) contexts = run.owned = await sub.acct.profiles({ acctFile: o.acctFile, acctKey: o.acctKey });
    const { lanes, matchPlugin } = buildLanes(hub, contexts, o);
    const reporter = createFailureReporter(hub.log, onError);
    const bus = new BusRun({
      bus: sub.BUS, lanes, match: matcher(hub, matchPlugin), queueSize: o.queueSize, stopMarker: run.marker, onFailure: reporter, log: hub.log,
    });
    sub.BUSRUN = bus;
    sub.STARTED = true;
    hub.log.info('evbus: started', { lanes: lanes.map((l) => `${l.plugin}:${l.ctx.provider}/${l.ctx.profile}`).join(',') || 'none' });
    for (const j of (sub.JOINERS as Joiner[]).splice(0)) j.resolve();
    try {
      await bus.run();
    } finally {
      reporter.flush();
    }
    hub.log.info('evbus: stopped');
  } catch (err) {
    for (const j of (sub.JOINERS as Joiner[]).splice(0)) j.reject(err);
    throw err;
  } finally {
    sub.STARTED = false;
    sub.RUN = undefined;
    sub.BUSRUN = undefined;
    if (run.owned) await sub.acct.close(run.owned).catch((err: unknown) => hub.log.error('evbus: closing gathered profiles failed', { error: describeError(err) }));
    run.finish();
  }
}

/** Ends the run after everything already on the bus is published; resolves when `start()` has returned. No-op when stopped. */
export async function stop(hub: Hub): Promise<void> {
  const sub = hub.__;
  const run = sub.RUN as RunState | undefined;
  if (!run) return;
  if (!run.stopping) {
    run.stopping = true;
    sub.BUS.force(run.marker);
  }
  await run.finished;
}

/** Resolves once the bus is running (pop's join); rejects if the pending `start()` fails. */
export async function join(hub: Hub): Promise<void> {
  const sub = hub.__;
  if (sub.STARTED) return;
  await new Promise<void>((resolve, reject) => (sub.JOINERS as Joiner[]).push({ resolve, reject }));
}

/**
 * On hub.close(): drain the bus, but give up after CLOSE_TIMEOUT_MS so a dead broker cannot hang shutdown; then
 * close what the run gathered, which fails the publishes still waiting so the run can end.
 */
export async function __close__(hub: Hub): Promise<void> {
  const sub = hub.__;
  const run = sub.RUN as RunState | undefined;
  if (!run) return;
  const ms: number = sub.CLOSE_TIMEOUT_MS;
  if (await within(stop(hub), ms)) return;
  hub.log.warn('evbus: the bus did not drain before the hub closed; unpublished events are dropped', { timeoutMs: ms, queued: sub.BUS.size });
  if (run.owned) await within(sub.acct.close(run.owned, { force: true }), ms);
  await within(run.finished, ms);
}
