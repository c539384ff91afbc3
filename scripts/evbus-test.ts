/**
 * `evbus-test` — runs the event bus and prints what the internal ingress receives (pop-evbus's evbus_test).
 *
 *   evbus-test --random --random-period 100 --count 5 --output json
 *   evbus-test --random --acct-file creds.yml.fernet --acct-key KEY   # events also go to the amqp profiles
 *
 * `--random` puts `{ number, timestamp, data }` events (profile "default"). Without it the bus waits for events
 * put by plugins. The internal ingress always gets a `*` profile, so every event is printed; with `--count N` the
 * command stops after N events, otherwise at Ctrl-C. Either way the bus drains first (amqp confirms included).
 */
import { randomInt } from 'node:crypto';
import { TSPOP_VERSION } from '../src/cli/tspop-version.ts';
import { runCli, type CliContext } from '../src/cli/run-cli.ts';
import { renderEvent, type OutputFormat } from '../plugins/evbus/_lib/render.ts';
import type { IngressEvent } from '../plugins/evbus/_lib/types.ts';
import type { Hub } from '../src/index.ts';

export default function main(argv = process.argv.slice(2)): Promise<number> {
  return runCli({ name: 'evbus-test', version: TSPOP_VERSION, config: ['evbus-test', 'evbus'], argv, main: run });
}

async function run({ hub, signal }: CliContext): Promise<number> {
  const opt = hub.OPT['evbus-test'] ?? {};
  const acct = hub.OPT.acct ?? {};
  const format = opt.evbus_output as OutputFormat;
  const count: number = opt.count ?? 0;
  await hub.pop.sub.add({ dyneName: 'evbus' });

  const running = hub.evbus.init.start({ acctFile: acct.acct_file, acctKey: acct.acct_key, internalDefault: true });
  running.catch(() => undefined); // its failure also rejects join(), which reports it
  await hub.evbus.init.join();

  // `done` ends the printer and the generator: Ctrl-C, --count reached, or stdout closed (e.g. `| head`)
  const done = new AbortController();
  const finish = () => done.abort();
  signal.addEventListener('abort', finish, { once: true });
  process.stdout.on('error', finish);

  let printed = 0;
  const print = (event: IngressEvent): void => {
    if (count > 0 && printed >= count) return;
    const body = hub.serial[event.serial].load(event.body);
    process.stdout.write(renderEvent(format, body));
    printed++;
    if (count > 0 && printed >= count) finish();
  };
  const printer = (async () => {
    while (!done.signal.aborted) {
      for (const [, event] of hub.ingress.internal.drain()) print(event);
      if (!done.signal.aborted) await hub.ingress.internal.wait(done.signal);
    }
  })();
  const generator = opt.random ? putRandom(hub, opt.random_period, count, done.signal) : Promise.resolve();

  await Promise.all([printer, generator]);
  await hub.evbus.init.stop();
  await running;
  for (const [, event] of hub.ingress.internal.drain()) print(event);
  signal.removeEventListener('abort', finish);
  process.stdout.off('error', finish);
  return 0;
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
