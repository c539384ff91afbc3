/**
 * Where endpoint values survive a restart. The dripline family codes against this small interface; the service
 * builds one from a `hub.kv` store when its YAML configures `kv:` (see kv-value-store.ts), and tests or hosts may
 * pass their own.
 */
export interface ValueStore {
  /** The stored value, or undefined when nothing was stored under `key`. */
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

/** A process-local store (values survive a service restart inside one process, e.g. in tests). */
export class MemoryValueStore implements ValueStore {
  readonly #values = new Map<string, string>();

  async get(key: string): Promise<unknown> {
    const v = this.#values.get(key);
    return v === undefined ? undefined : JSON.parse(v);
  }

  async put(key: string, value: unknown): Promise<void> {
    // stored as JSON so a caller cannot change a stored value by mutating what it passed in
    this.#values.set(key, JSON.stringify(value ?? null));
  }
}
