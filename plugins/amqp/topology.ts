/**
 * hub.amqp.topology — exchanges, queues and bindings a connection declares again after every reconnect, before
 * its consumers re-subscribe and its publishers resume (exclusive and auto-delete queues die with a connection).
 *
 *   const { queues: [name] } = await hub.amqp.topology.declare(conn, {
 *     exchanges: [{ name: 'requests', type: 'topic', durable: false }],
 *     queues: [{ name: '', exclusive: true, autoDelete: true }],       // a generated name, the same after reconnects
 *   });
 */
import type { Hub } from '../../src/index.ts';
import { leaseOf } from './_lib/lease-of.ts';
import { DECLARE_TIMEOUT_MS, TopologyRunner } from './_lib/topology-job.ts';
import { AmqpOptionsError } from './_errors.ts';
import { topologyPlan } from './_lib/topology-spec.ts';
import type { AmqpConnection, AmqpDeclared, AmqpTopology } from './_lib/types.ts';

/** Exchange types probed per shared connection (see topology-job.ts). */
const knownTypes = new WeakMap<object, Set<string>>();

/**
 * Declares `topo` (exchanges, then queues, then bindings) once connected and again after every reconnect. Rejects
 * with TSPOP_ERR_AMQP_TOPOLOGY (`replyCode`, `replyText`: e.g. 406 when a queue exists with other arguments; or
 * no answer within `timeoutMs`, default 30 s, per declare) or TSPOP_ERR_AMQP_EXCHANGE_TYPE (the broker lacks the
 * exchange type's plugin); a topology that failed is not kept. After a reconnect a declare that times out is
 * logged, and the other topologies are still declared.
 */
export async function declare(_hub: Hub, conn: AmqpConnection, topo: AmqpTopology, opts: { timeoutMs?: number } = {}): Promise<AmqpDeclared> {
  const lease = leaseOf(conn, 'hub.amqp.topology.declare');
  const plan = topologyPlan(topo);
  const timeoutMs = opts.timeoutMs ?? DECLARE_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new AmqpOptionsError(`hub.amqp.topology.declare: timeoutMs must be an integer 1-600000 (ms), got ${JSON.stringify(opts.timeoutMs)}`);
  }
  const shared = lease.shared;
  let types = knownTypes.get(shared);
  if (!types) knownTypes.set(shared, (types = new Set()));
  const runner = new TopologyRunner(plan, shared.settings, types, timeoutMs);
  // the first declare is the caller's: run it ourselves, then keep it for reconnects
  const first = new FirstRun(runner);
  const registration = shared.addTopology(first);
  try {
    await (registration.now ?? Promise.race([first.done, shared.whenConnected().then(() => first.done)]));
  } catch (err) {
    registration.remove();
    throw err;
  }
  return { queues: plan.queues.map((q) => q.name), remove: registration.remove };
}

/** Reports its first run's outcome through `done` (for a declare made while disconnected). */
class FirstRun {
  readonly #runner: TopologyRunner;
  readonly done: Promise<void>;
  #settle!: (err?: unknown) => void;
  #first = true;

  constructor(runner: TopologyRunner) {
    this.#runner = runner;
    this.done = new Promise<void>((resolve, reject) => (this.#settle = (err) => (err === undefined ? resolve() : reject(err))));
    this.done.catch(() => undefined);
  }

  async run(model: Parameters<TopologyRunner['run']>[0]): Promise<void> {
    try {
      await this.#runner.run(model);
    } catch (err) {
      if (this.#first) {
        this.#first = false;
        this.#settle(err);
      }
      throw err;
    }
    if (this.#first) {
      this.#first = false;
      this.#settle();
    }
  }
}
