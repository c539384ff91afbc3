/**
 * Rules the ramen reader honours before sending: a rule from the server ({"code": "DROPPED", "rule": {...}})
 * matches a record when every field it names (sender, system_serial, system_version, category, data_type,
 * data_version) equals the record's; a URL path blacklisted after a permanent failure matches records going to
 * that path. Every entry expires after `ttlMs` (the config's blacklist_ttl).
 */
export interface BlacklistItem {
  readonly sender: string;
  readonly system_serial: string | number;
  readonly system_version: string;
  readonly category: string;
  readonly data_type: string;
  readonly data_version: string | number;
  readonly path: string;
}

interface Entry {
  readonly rule: Readonly<Record<string, unknown>>;
  readonly expires: number;
}

export class Blacklist {
  #entries: Entry[] = [];
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  add(rule: Readonly<Record<string, unknown>>): void {
    this.#entries.push({ rule: { ...rule }, expires: this.#now() + this.#ttlMs });
  }

  addPath(path: string): void {
    this.add({ path });
  }

  matches(item: Partial<BlacklistItem>): boolean {
    const now = this.#now();
    this.#entries = this.#entries.filter((e) => e.expires > now);
    return this.#entries.some((e) => Object.entries(e.rule).every(([k, v]) => String((item as Record<string, unknown>)[k]) === String(v)));
  }

  get size(): number {
    return this.#entries.length;
  }
}
