import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../src/bounded-queue.ts';

describe('BoundedQueue', () => {
  it('is FIFO; get waits while empty', async () => {
    const q = new BoundedQueue<number>(10);
    const got = q.get();
    expect(q.tryPut(1)).toBe(true);
    await expect(got).resolves.toBe(1);
    q.tryPut(2);
    q.tryPut(3);
    expect(q.drain()).toEqual([2, 3]);
    expect(q.tryGet()).toBeUndefined();
  });

  it('put waits while full; waiting putters enter in call order and tryPut cannot jump the line', async () => {
    const q = new BoundedQueue<string>(1);
    await q.put('a');
    const order: string[] = [];
    const b = q.put('b').then(() => order.push('b'));
    const c = q.put('c').then(() => order.push('c'));
    expect(q.waiting).toBe(2);
    expect(q.tryPut('x')).toBe(false);
    expect(q.tryGet()).toBe('a');
    expect(q.tryGet()).toBe('b');
    expect(q.tryGet()).toBe('c');
    await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
  });

  it('force ignores the capacity but keeps order behind waiting putters', async () => {
    const q = new BoundedQueue<string>(1);
    q.tryPut('a');
    void q.put('b');
    q.force('stop');
    expect(q.drain()).toEqual(['a', 'b', 'stop']);
    q.force('x');
    q.force('y');
    expect(q.size).toBe(2);
  });

  it('raising the capacity admits waiting putters; it must be a positive integer', async () => {
    const q = new BoundedQueue<number>(1);
    q.tryPut(1);
    const p = q.put(2);
    q.capacity = 2;
    await p;
    expect(q.size).toBe(2);
    expect(() => (q.capacity = 0)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });

  it('stays correct over many items (compaction)', () => {
    const q = new BoundedQueue<number>(100_000);
    for (let i = 0; i < 5000; i++) q.tryPut(i);
    for (let i = 0; i < 3000; i++) expect(q.tryGet()).toBe(i);
    for (let i = 5000; i < 6000; i++) q.tryPut(i);
    expect(q.drain()).toEqual(Array.from({ length: 3000 }, (_, i) => i + 3000));
  });
});
