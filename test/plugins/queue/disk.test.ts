import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../../src/index.ts';
import type { QueueMessage } from '../../../plugins/queue/_lib/types.ts';
import { queueHub, until } from '../../helpers/queue.ts';

let hub: Hub | undefined;
let dir = '';
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('hub.queue.disk', () => {
  it('a consumer gets what producers sent, with headers and ids, after a restart too', async () => {
    ({ hub } = await queueHub());
    dir = mkdtempSync(join(tmpdir(), 'tspop-disk-'));
    const p = await hub.queue.init.producer('disk', { queue: dir });
    await p.send('{"n":1}', { contentType: 'application/json', id: 'one', headers: { h: 1 } });
    await p.send('two');
    const c1 = await hub.queue.init.consumer('disk', { queue: dir });
    const got: QueueMessage[] = [];
    await c1.listen((m: QueueMessage) => void got.push(m));
    await until(() => got.length === 2);
    expect(got[0]).toMatchObject({ contentType: 'application/json', id: 'one', headers: { h: 1 }, deliveryCount: 1 });
    expect(got.map((m) => m.body.toString())).toEqual(['{"n":1}', 'two']);
    await c1.close();

    await p.send('three');
    const c2 = await hub.queue.init.consumer('disk', { queue: dir });
    const later: string[] = [];
    await c2.listen((m: QueueMessage) => void later.push(m.body.toString()));
    await until(() => later.length === 1);
    expect(later).toEqual(['three']);
    await c2.close();
    await p.close();
  });

  it('a failing handler gets the message again, up to maxDeliveries, then the next one', async () => {
    ({ hub } = await queueHub());
    dir = mkdtempSync(join(tmpdir(), 'tspop-disk-'));
    const p = await hub.queue.init.producer('disk', { queue: dir });
    await p.send('poison');
    await p.send('fine');
    const c = await hub.queue.init.consumer('disk', { queue: dir, maxDeliveries: 3 });
    const seen: string[] = [];
    await c.listen((m: QueueMessage) => {
      seen.push(`${m.body}#${m.deliveryCount}`);
      if (m.body.toString() === 'poison') throw new Error('no');
    });
    await until(() => seen.includes('fine#1'));
    expect(seen).toEqual(['poison#1', 'poison#2', 'poison#3', 'fine#1']);
    await c.close();
    await p.close();
  });
});
