/**
 * hub.dripline.client — send requests to dripline services (what `dragonfly get|set|cmd` does):
 *
 *   const client = await hub.dripline.client.open({ broker: 'localhost' });
 *   const reply = await client.request('peaches', 'get');          // { returnCode: 0, payload: { value_raw, value_cal } }
 *   await client.request('chips', 'set', { payload: { values: [1.79] } });
 *   await client.close();
 */
import type { Hub } from '../../src/index.ts';
import { DriplineClient } from './_lib/agent.ts';
import { resolveConnect, type ConnectOptions } from './_lib/connect-options.ts';

export interface ClientOptions extends ConnectOptions {
  /** sender_info.service_name of the requests (default 'dragonfly'). */
  readonly name?: string;
}

export interface OpenClient extends Pick<DriplineClient, 'request' | 'requestAll' | 'replyQueue'> {
  close(): Promise<void>;
}

export async function open(hub: Hub, opts: ClientOptions = {}): Promise<OpenClient> {
  const { mesh, auth } = resolveConnect(opts);
  const link = hub.dripline.link.open(mesh, auth, `dripline/client/${opts.name ?? 'dragonfly'}`);
  try {
    await link.whenConnected(opts.connectTimeoutMs ?? 10_000, opts.connectAttempts);
    const client = await DriplineClient.open(link, mesh, opts.name ?? 'dragonfly');
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= (async () => {
      forget();
      await client.close();
      await link.close();
    })());
    const forget = hub.dripline.init.track({ name: 'dripline client', stop: close });
    return {
      get replyQueue() {
        return client.replyQueue;
      },
      request: (...args) => client.request(...args),
      requestAll: (...args) => client.requestAll(...args),
      close,
    };
  } catch (err) {
    await link.close().catch(() => undefined);
    throw err;
  }
}
