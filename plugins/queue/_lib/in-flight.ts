/** Counts running handlers so stop() can wait for them (SIGTERM: finish what is in hand, take nothing new). */
export class InFlight {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  /** Runs `fn`, counted until it settles. */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    this.#count++;
    try {
      return await fn();
    } finally {
      this.#count--;
      if (this.#count === 0) for (const w of this.#waiters.splice(0)) w();
    }
  }

  /** Resolves when nothing is running. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((r) => this.#waiters.push(r));
  }
}
