import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../../src/index.ts';
import { evbusHub } from '../../helpers/evbus.ts';

let hub: Hub;
beforeAll(async () => {
  ({ hub } = await evbusHub());
});
afterAll(() => hub.close());

const BODY = { number: 1, timestamp: 1700000000.5, data: '0012345', nested: { list: [1, 'two', null], ok: true } };

describe('serial plugins', () => {
  it.each([
    ['json', 'application/json', 'string'],
    ['msgpack', 'application/msgpack', 'object'],
    ['yaml', 'application/yaml', 'string'],
  ])('%s round-trips an event body and names its content type', (name, contentType, kind) => {
    const plugin = hub.serial[name];
    const data = plugin.dump(BODY);
    expect(typeof data).toBe(kind);
    expect(plugin.CONTENT_TYPE).toBe(contentType);
    expect(plugin.load(data)).toEqual(BODY);
  });

  it('json is compact and handles what pop-evbus handled: sets sorted, iterables as lists', () => {
    const json = hub.serial.json;
    expect(json.dump({ a: 1, b: [2] })).toBe('{"a":1,"b":[2]}');
    expect(json.dump(new Set([3, 1, 2]))).toBe('[1,2,3]');
    expect(json.dump({ m: new Map([['k', 1]]), big: 10n, buf: Buffer.from('hi') })).toBe('{"m":{"k":1},"big":"10","buf":"aGk="}');
    expect(json.dump(undefined)).toBe('null');
    expect(json.load(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
  });

  it('msgpack dumps Buffers (and loads Uint8Arrays)', () => {
    const data = hub.serial.msgpack.dump({ a: 1 });
    expect(Buffer.isBuffer(data)).toBe(true);
    expect(hub.serial.msgpack.load(new Uint8Array(data))).toEqual({ a: 1 });
  });
});
