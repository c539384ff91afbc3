/**
 * A FIFO queue with a capacity: `put` waits while it is full (backpressure instead of unbounded memory),
 * waiting putters enter in the order they called, and `get` waits while it is empty.
 */
export class BoundedQueue<T> {
  #items: T[] = [];
  #head = 0;
  #capacity: number;
  readonly #putters: Array<{ item: T; resolve: () => void }> = [];
  readonly #getters: Array<(item: T) => void> = [];

  constructor(capacity: number) {
    this.#capacity = checkCapacity(capacity);
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Raising it lets waiting putters in at once; lowering it never drops queued items. */
  set capacity(value: number) {
    this.#capacity = checkCapacity(value);
    this.#admit();
  }

  /** Items queued (waiting putters not counted). */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Putters waiting for room. */
  get waiting(): number {
    return this.#putters.length;
  }

  /** Adds `item` if there is room and nobody is waiting ahead of it. */
  tryPut(item: T): boolean {
    if (this.#putters.length > 0 || this.size >= this.#capacity) return false;
    this.#push(item);
    return true;
  }

  /** Adds `item`, waiting for room first when the queue is full. */
  put(item: T): Promise<void> {
    if (this.tryPut(item)) return Promise.resolve();
    return new Promise((resolve) => this.#putters.push({ item, resolve }));
  }

  /** Adds `item` regardless of capacity, behind waiting putters (for stop markers). */
  force(item: T): void {
    if (this.#putters.length > 0) {
      this.#putters.push({ item, resolve: () => undefined });
      return;
    }
    this.#push(item);
  }

  /** Next item, waiting for one when empty. */
  get(): Promise<T> {
    if (this.size > 0) return Promise.resolve(this.#shift());
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Next item, or `undefined` when empty. */
  tryGet(): T | undefined {
    return this.size > 0 ? this.#shift() : undefined;
  }

  /** Takes every queued item (and admits waiting putters, which are then taken too). */
  drain(): T[] {
    const out: T[] = [];
    while (this.size > 0) out.push(this.#shift());
    return out;
  }

  #push(item: T): void {
    const getter = this.#getters.shift();
    if (getter) getter(item);
    else this.#items.push(item);
  }

  #shift(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T; // let the event be collected
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#admit();
    return item;
  }

  #admit(): void {
    while (this.#putters.length > 0 && this.size < this.#capacity) {
      const p = this.#putters.shift() as { item: T; resolve: () => void };
      this.#push(p.item);
      p.resolve();
    }
  }
}

function checkCapacity(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`queue capacity must be a positive integer, got ${value}`);
  return value;
}
