/**
 * hub.dripline.monitor — watch an exchange (what `dragonfly monitor` does):
 *
 *   const mon = await hub.dripline.monitor.open({ exchange: 'alerts', keys: ['sensor_value.#'] }, (seen) => ...);
 *   await mon.stop();
 */
import type { Hub } from '../../src/index.ts';
import { resolveConnect, type ConnectOptions } from './_lib/connect-options.ts';
import { openMonitor, type Seen } from './_lib/message-monitor.ts';

export interface MonitorOpenOptions extends ConnectOptions {
  /** Default: the mesh's alerts exchange. */
  readonly exchange?: string;
  /** Binding keys (default ['#']). */
  readonly keys?: readonly string[];
}

export interface OpenMonitor {
  readonly exchange: string;
  stop(): Promise<void>;
}

export async function open(hub: Hub, opts: MonitorOpenOptions, onMessage: (seen: Seen) => void): Promise<OpenMonitor> {
  const { mesh, auth } = resolveConnect(opts);
  const exchange = opts.exchange ?? mesh.alerts_exchange;
  const link = hub.dripline.link.open(mesh, auth, `dripline/monitor/${exchange}`);
  try {
    await link.whenConnected(opts.connectTimeoutMs ?? 10_000, opts.connectAttempts);
    const mon = await openMonitor(link, { exchange, keys: opts.keys }, onMessage);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= (async () => {
      forget();
      await mon.stop().catch(() => undefined);
      await link.close();
    })());
    const forget = hub.dripline.init.track({ name: `dripline monitor on ${exchange}`, stop });
    return { exchange, stop };
  } catch (err) {
    await link.close().catch(() => undefined);
    throw err;
  }
}
