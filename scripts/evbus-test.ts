/**
 * `evbus-test` (also `evbus_test`, pop-evbus's name) — runs the event bus and prints what the internal ingress
 * receives (pop-evbus's evbus_test).
 *
 *   evbus-test --random --random-period 100 --count 5 --output json
 *   ACCT_KEY=... evbus-test --random --acct-file creds.yml.fernet   # events also go to the amqp profiles
 *
 * `--random` puts `{ number, timestamp, data }` events (profile "default"). Without it the bus listens for events
 * put by plugins until Ctrl-C. The internal ingress always gets a `*` profile, so every event is printed; with
 * `--count N` the command stops after N events. Either way the bus drains first (amqp confirms included), for at
 * most --drain-timeout seconds: then it says what was not delivered and exits 1.
 */
import { randomInt } from 'node:crypto';
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli, type CliContext } from '../src/cli/run-cli.ts';
import { createProgress } from '../src/cli/progress.ts';
import { TspopError } from '../src/errors.ts';
import { acctKeyOf } from '../acct/_key-source.ts';
import { renderEvent, type OutputFormat } from '../plugins/evbus/_lib/render.ts';
import { describeUndelivered } from '../plugins/evbus/_lib/undelivered.ts';
import { EvbusDrainTimeoutError } from '../plugins/evbus/_errors.ts';
import type { EvbusStopResult, IngressEvent } from '../plugins/evbus/_lib/types.ts';
import type { Hub } from '../src/index.ts';

/** `programName`: the name it was run by (the `evbus_test` bin passes its own). */
export default function main(argv = process.argv.slice(2), programName = 'evbus-test'): Promise<number> {
  return runCli({ name: 'evbus-test', programName, version: TSPOP_VERSION, config: ['evbus-test', 'evbus'], argv, main: run });
}

async function run({ hub, signal }: CliContext): Promise<number> {
  const opt = hub.OPT['evbus-test'] ?? {};
  const acct = hub.OPT.acct ?? {};
  const format = opt.evbus_output as OutputFormat;
  const count: number = opt.count ?? 0;
  const drainMs = Math.round((opt.drain_timeout ?? 10) * 1000);
  const progress = createProgress('evbus-test', { forced: hub.OPT.tspop.progress === true });
  const acctKey = acct.acct_file ? await acctKeyOf(acct, { forFile: acct.acct_file, prompt: true }) : undefined;
  await hub.pop.sub.add({ dyneName: 'evbus' });

  const running = hub.evbus.init.start({ acctFile: acct.acct_file, acctKey, internalDefault: true });
  running.catch(() => undefined); // its failure also rejects join(), which reports it
  await hub.evbus.init.join().catch(asUsage);

  // `done` ends the printer and the generator: Ctrl-C/SIGTERM, --count reached, or stdout closed (`| head`)
  const done = new AbortController();
  const finish = () => done.abort();
  signal.addEventListener('abort', finish, { once: true });
  // the bus waits on promises alone, which do not keep Node running: listen until told to stop
  const keepAlive = setInterval(() => undefined, 1 << 30);

  let printed = 0;
  const print = (event: IngressEvent): void => {
    if (count > 0 && printed >= count) return;
    const body = hub.serial[event.serial].load(event.body);
    process.stdout.write(renderEvent(format, body));
    printed++;
    if (count > 0) progress.update(`${printed}/${count} events`);
    if (count > 0 && printed >= count) finish();
  };
  try {
    const printer = (async () => {
      while (!done.signal.aborted) {
        for (const [, event] of hub.ingress.internal.drain()) print(event);
        if (!done.signal.aborted) await hub.ingress.internal.wait(done.signal);
      }
    })();
    const generator = opt.random ? putRandom(hub, opt.random_period, count, done.signal) : Promise.resolve();
    await Promise.all([printer, generator]);
    const stopped: EvbusStopResult = await hub.evbus.init.stop({ timeoutMs: drainMs });
    await running.catch(() => undefined);
    for (const [, event] of hub.ingress.internal.drain()) print(event);
    if (!stopped.drained) {
      throw new EvbusDrainTimeoutError(`gave up after ${drainMs / 1000} s waiting for deliveries: ${describeUndelivered(stopped)} not delivered`);
    }
    await running;
    return 0;
  } finally {
    progress.done();
    clearInterval(keepAlive);
    signal.removeEventListener('abort', finish);
  }
}

/** A bad option reaches the bus only at start (an unknown serial plugin): a usage error, exit 2, as for flags. */
function asUsage(err: unknown): never {
  if (TspopError.is(err) && (err.code === 'TSPOP_ERR_EVBUS_OPTIONS' || err.code === 'TSPOP_ERR_EVBUS_SERIAL' || err.code === 'TSPOP_ERR_EVBUS_MATCH')) {
    Object.defineProperty(err, 'exitCode', { value: 2, enumerable: true });
  }
  throw err;
}

/** pop-evbus's random events, one every `periodMs`, until `limit` (0: none) or `signal`. */
async function putRandom(hub: Hub, periodMs: number, limit: number, signal: AbortSignal): Promise<void> {
  for (let number = 0; !signal.aborted && (limit === 0 || number < limit); number++) {
    const event = { number, timestamp: Date.now() / 1000, data: String(randomInt(10_000_000)).padStart(7, '0') };
    await hub.evbus.broker.put(event, { profile: 'default' });
    if (limit === 0 || number + 1 < limit) await sleep(periodMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

