import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evbusHub, internalBodies } from '../../helpers/evbus.ts';

const fixture = fileURLToPath(new URL('../../fixtures/host-ingress/', import.meta.url));

describe('a host project adds its own ingress plugin (vertical merge)', () => {
  it('hub.ingress holds tspop\'s plugins and the host\'s capture plugin, and events reach it', async () => {
    const { hub } = await evbusHub(fixture);
    const names = [...hub.ingress].map((m: { name: string }) => m.name);
    expect(names).toEqual(expect.arrayContaining(['amqp', 'capture', 'http', 'internal']));
    expect(hub.ingress.capture.ACCT).toEqual(['capture']);

    const running = hub.evbus.init.start({ contexts: { capture: { 'orders.*': { label: 'orders' } } }, internalDefault: true });
    await hub.evbus.init.join();
    await hub.evbus.broker.put({ id: 1 }, { profile: 'orders.created' });
    await hub.evbus.broker.put({ id: 2 }, { profile: 'users.created' });
    await hub.evbus.broker.put({ id: 3 }, { profile: 'orders.paid' });
    await hub.evbus.init.stop();
    await running;

    expect(hub.ingress.capture.CAPTURED).toEqual([
      { profile: 'orders.*', label: 'orders', body: '{"id":1}' },
      { profile: 'orders.*', label: 'orders', body: '{"id":3}' },
    ]);
    expect(internalBodies(hub)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await hub.close();
  });
});
