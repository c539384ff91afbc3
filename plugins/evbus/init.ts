/**
 * hub.evbus.init — the event bus lifecycle, after pop-evbus: `start(opts)` runs until `stop()`, `join()` waits
 * until it is running. Events `put` before `start` wait on the bus; `stop()` resolves (and `start()` returns)
 * once everything put before it was handed to the ingress plugins and their publishes settled.
 *
 * State on the sub: STARTED, BUS (the bounded queue), SERIAL_PLUGIN, RUN (the current run), CLOSE_TIMEOUT_MS,
 * START_FAILURE (the error of the last start() that failed, for join()).
 */
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/index.ts';
import { describeError } from '../../src/errors.ts';
import { EvbusAlreadyStartedError } from './_errors.ts';
import { BoundedQueue } from '../../src/bounded-queue.ts';
import { within } from '../../src/with-timeout.ts';
import { BusRun, type BusItem, type StopMarker } from './_lib/bus-run.ts';
import { createFailureReporter, type FailureReporter } from './_lib/failure-reporter.ts';
import { DEFAULTS, queueSize, resolveStartOptions } from './_lib/start-options.ts';
import { buildLanes } from './_lib/build-lanes.ts';
import { describeUndelivered } from './_lib/undelivered.ts';
import { errorCallback, matcher, serialPlugin } from './_lib/plugin-lookup.ts';
import type { EvbusContexts, EvbusStartOptions, EvbusStopResult } from './_lib/types.ts';

interface RunState {
  readonly marker: StopMarker;
  bus: BusRun | undefined;
  reporter: FailureReporter | undefined;
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
  sub.START_FAILURE = undefined;
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
  const run: RunState = {
    marker: { stop: true }, bus: undefined, reporter: undefined, stopping: false, owned: undefined, finished: new Promise<void>((r) => (finish = r)), finish,
  };
  sub.RUN = run;
  sub.START_FAILURE = undefined;
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
    const reporter = (run.reporter = createFailureReporter(hub.log, onError));
    const bus = new BusRun({
      bus: sub.BUS, lanes, match: matcher(hub, matchPlugin), queueSize: o.queueSize, stopMarker: run.marker, onFailure: reporter, log: hub.log,
    });
    sub.BUSRUN = run.bus = bus;
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
    // join() called after this failure must not wait for a start that is not coming
    if (!sub.STARTED) sub.START_FAILURE = err;
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

/**
 * Ends the run after everything already on the bus is published; resolves when `start()` has returned. No-op
 * when stopped. With `timeoutMs`, gives up draining after that long: the contexts the run gathered are closed
 * at once (publishes still waiting fail, without a log line each) and the result says what was not delivered.
 */
export async function stop(hub: Hub, opts: { timeoutMs?: number } = {}): Promise<EvbusStopResult> {
  const sub = hub.__;
  const run = sub.RUN as RunState | undefined;
  if (!run) return DRAINED;
  if (!run.stopping) {
    run.stopping = true;
    sub.BUS.force(run.marker);
  }
  const ms = opts.timeoutMs;
  if (ms === undefined || (await within(run.finished, ms))) {
    await run.finished;
    return DRAINED;
  }
  const result: EvbusStopResult = {
    drained: false,
    undelivered: (run.bus?.lanes ?? []).filter((l) => l.pending > 0).map((l) => ({ plugin: l.plugin, provider: l.ctx.provider, profile: l.ctx.profile, events: l.pending })),
    // the stop marker itself is not an event
    queued: Math.max(0, sub.BUS.size - 1),
  };
  run.reporter?.silence();
  if (run.owned) await within(sub.acct.close(run.owned, { force: true }), ms);
  await within(run.finished, ms);
  return result;
}

const DRAINED: EvbusStopResult = Object.freeze({ drained: true, undelivered: Object.freeze([]), queued: 0 });

/**
 * Resolves once the bus is running (pop's join). Rejects if the pending `start()` fails, or, when no start is
 * pending, with the error of the last one that failed; with neither, it waits for the next start.
 */
export async function join(hub: Hub): Promise<void> {
  const sub = hub.__;
  if (sub.STARTED) return;
  if (!sub.RUN && sub.START_FAILURE !== undefined) throw sub.START_FAILURE;
  await new Promise<void>((resolve, reject) => (sub.JOINERS as Joiner[]).push({ resolve, reject }));
}

/**
 * On hub.close(): drain the bus, but give up after CLOSE_TIMEOUT_MS so a dead broker cannot hang shutdown; then
 * close what the run gathered, which fails the publishes still waiting so the run can end.
 */
export async function __close__(hub: Hub): Promise<void> {
  const sub = hub.__;
  if (!sub.RUN) return;
  const ms: number = sub.CLOSE_TIMEOUT_MS;
  const result = await stop(hub, { timeoutMs: ms });
  if (!result.drained) {
    hub.log.warn(`evbus: the bus did not drain before the hub closed; ${describeUndelivered(result)} dropped`, { timeoutMs: ms });
  }
}
