/**
 * Turns the raw entries of a store into the configuration callbacks see.
 *
 * - A key below a prefix maps to a nested object: `<prefix>rabbit/host` is `{ rabbit: { host } }`. Slashes at
 *   either end and doubled slashes do not make empty names; a key ending in `/` (Consul's folder marker) only
 *   makes the folder.
 * - A value that is a JSON object or array is parsed; anything else stays the string it is (`"5672"` stays
 *   `"5672"`, so `1.10` is not turned into `1.1`), as clc_msa_utils returns it.
 * - A key that is both a value and a folder (`rabbit` = `{"port": 5672}` and `rabbit/host` = `h`): the folder
 *   wins; a JSON-object value is merged under it (folder keys win where both have one), any other value is kept
 *   under the empty key `''` of the folder, so nothing the store holds is lost.
 * - Several prefixes are overlaid in order: objects merge key by key, anything else from a later prefix wins.
 */
import type { KvConfig, KvEntries } from './types.ts';

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

/** Own data property, even for a key like `__proto__` (keys come from the store, so any name is possible). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The prefix as a folder: `app` and `app/` are both `app/`; `""` is the whole keyspace. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

const bare = (s: string) => s.replace(/^\/+/, '');

export function parseValue(raw: string): unknown {
  const t = raw.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return raw;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return raw;
  }
}

/** The configuration of one prefix: the entries below it, nested. */
export function entriesToConfig(entries: KvEntries, prefix: string): Record<string, unknown> {
  const root: Node = { children: new Map() };
  const want = bare(folderPrefix(prefix));
  for (const key of [...entries.keys()].sort()) {
    const k = bare(key);
    if (!k.startsWith(want)) continue;
    const rest = k.slice(want.length);
    const names = rest.split('/').filter((n) => n !== '');
    if (names.length === 0) continue;
    let node = root;
    for (const name of names) {
      node.children ??= new Map();
      let next = node.children.get(name);
      if (!next) node.children.set(name, (next = {}));
      node = next;
    }
    if (rest.endsWith('/')) node.children ??= new Map();
    else node.value = entries.get(key) as string;
  }
  return toObject(root);
}

function toObject(node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.value !== undefined) {
    const own = parseValue(node.value);
    if (isPlainObject(own)) for (const [k, v] of Object.entries(own)) put(out, k, v);
    else put(out, '', own);
  }
  for (const [name, child] of node.children ?? []) put(out, name, child.children ? toObject(child) : parseValue(child.value as string));
  return out;
}

/** `over` merged into a copy of `base`: objects key by key, anything else in `over` replaces. */
export function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) put(out, k, v);
  for (const [k, b] of Object.entries(over)) {
    const a = Object.hasOwn(out, k) ? out[k] : undefined;
    put(out, k, isPlainObject(a) && isPlainObject(b) ? overlay(a, b) : b);
  }
  return out;
}

/** The configuration of every prefix, overlaid in order (later wins). */
export function buildConfig(entries: KvEntries, prefixes: readonly string[]): KvConfig {
  return prefixes.reduce<Record<string, unknown>>((acc, p) => overlay(acc, entriesToConfig(entries, p)), {});
}

/**
 * The value at `path` in `config`: `/` always separates; a part with dots is first looked up as it is (a key
 * `log.level`), then as nested names (`rabbit.host`).
 */
export function lookup(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (!isPlainObject(node)) return undefined;
    if (Object.hasOwn(node, part)) {
      node = node[part];
      continue;
    }
    for (const name of part.split('.')) {
      if (!isPlainObject(node) || !Object.hasOwn(node, name)) return undefined;
      node = node[name];
    }
  }
  return node;
}
