/**
 * hub.acct.init — encrypted credential profiles, a drop-in for Python's acct.
 *
 * An acct file is a token of the crypto plugin (`hub.acct.crypto.<name>`, default fernet) whose plaintext is
 * msgpack of the profile mapping (acct/_file-format.ts). Files written by Python acct open here and the reverse.
 *
 * State on the sub (as in Python acct): `hub.acct.PROFILES` (provider -> profile name -> data), `UNLOCKED`,
 * `DEFAULT` (default profile name), `BACKEND_KEY`, `BACKENDS` (the popped backend section), `GATHERED`
 * (what gather plugins returned, for `close`). Keys and profile data are never logged or put in messages.
 */
import { TspopError, describeError } from '../src/errors.ts';
import { AcctDecryptError, AcctFileWriteError, AcctFormatError, AcctKeyMissingError, AcctOptionsError } from './_errors.ts';
import { writeFileAtomic } from '../src/write-file-atomic.ts';
import { isSub } from '../src/sub.ts';
import type { Dynamic, Hub } from '../src/types.ts';
import { runBackends } from './_backends.ts';
import { DEFAULT_BACKEND_KEY, isPlainObject, packProfiles, splitData, unpackProfiles, type AcctData, type Profiles, type SplitData } from './_file-format.ts';
import { copy, gatherPlugins, only, runGather, type Gathered } from './_gather.ts';
import { deepMerge } from './_merge.ts';
import { plainText, readInputFile, tokenBytes } from './_read-file.ts';
import { parseAcctYamlOffThread, type OffThreadOptions } from './_yaml-off-thread.ts';
import { lockAcctFile } from './_lock.ts';
import { overwriteTarget } from './_overwrite.ts';

export const __func_alias__ = { process_: 'process' };

const DEFAULT_CRYPTO = 'fernet';
/** Another encrypt of the same file takes well under this; an edit holds its lock for longer and is refused. */
const ENCRYPT_LOCK_WAIT_MS = 10_000;

export interface CryptoOptions {
  /** Crypto plugin name (default `hub.OPT.acct.crypto_plugin`, else `fernet`). */
  cryptoPlugin?: string;
}

export interface ProfilesOptions extends CryptoOptions {
  /** Backend profiles allowed to run (default `hub.OPT.acct.allowed_backend_profiles`, else all). */
  allowedBackendProfiles?: readonly string[];
  /** Throw the first backend failure instead of logging it. */
  hardFail?: boolean;
}

export interface GatherOptions {
  /** Raw profiles to gather from (default: `hub.acct.PROFILES` when unlocked, else none). */
  profiles?: AcctData;
  /** Throw (AcctGatherError naming the plugin) instead of logging and skipping a failing gather plugin. */
  hardFail?: boolean;
  allowedBackendProfiles?: readonly string[];
  /**
   * The caller holds what is gathered and hands it back with `release(processed)` when done with it; acct's own
   * close on hub.close() leaves it alone, so a caller draining through it (evbus) decides when it closes.
   */
  hold?: boolean;
}

export interface ReleaseOptions {
  /** The caller gave up waiting (a drain timed out): plugins close without flushing. */
  force?: boolean;
}

export async function __init__(hub: Hub): Promise<void> {
  hub.acct.PROFILES = {};
  hub.acct.UNLOCKED = false;
  hub.acct.DEFAULT = 'default';
  hub.acct.BACKEND_KEY = DEFAULT_BACKEND_KEY;
  hub.acct.BACKENDS = {};
  hub.acct.GATHERED = [];
  // As Python acct does: `acct/<dyne>/<plugin>` folders of every project become hub.acct.<dyne>.<plugin>.
  await hub.pop.sub.loadSubdirs(hub.acct, { recurse: true });
}

/** A new random key for the crypto plugin (fernet: 44 url-safe base64 characters). */
export async function generateKey(hub: Hub, cryptoPlugin?: string): Promise<string> {
  return String(await cryptoModule(hub, cryptoPlugin ?? defaultCrypto(hub)).generateKey());
}

/** The token (file contents) for `data`: msgpack, then the crypto plugin. */
export async function encrypt(hub: Hub, data: AcctData, acctKey: string, cryptoPlugin?: string): Promise<string> {
  if (!isPlainObject(data)) throw new AcctFormatError('acct data must be a mapping of profiles');
  const token: unknown = await cryptoModule(hub, cryptoPlugin ?? defaultCrypto(hub)).encrypt(packProfiles(data), requireKey(acctKey, 'the data'));
  return token instanceof Uint8Array ? Buffer.from(token).toString('latin1') : String(token);
}

/** The mapping in a token. Wrong key or altered token: AcctDecryptError naming `source`. */
export async function decrypt(
  hub: Hub,
  token: string | Uint8Array,
  acctKey: string,
  cryptoPlugin?: string,
  source = 'the acct data',
): Promise<AcctData> {
  const key = requireKey(acctKey, source);
  const plugin = cryptoPlugin ?? defaultCrypto(hub);
  let plain: unknown;
  try {
    plain = await cryptoModule(hub, plugin).decrypt(token, key);
  } catch (err) {
    if (TspopError.is(err) && err.code === 'TSPOP_ERR_ACCT_INVALID_TOKEN') {
      throw new AcctDecryptError(`cannot decrypt ${source}: wrong key or corrupted file`, { cause: err });
    }
    throw err;
  }
  if (!(plain instanceof Uint8Array)) throw new AcctFormatError(`crypto plugin ${plugin} did not return bytes for ${source}`);
  try {
    return unpackProfiles(plain);
  } catch (cause) {
    throw new AcctFormatError(`cannot read ${source}: ${(cause as Error).message}`, { cause });
  }
}

/** The raw mapping in acct file `acctFile` (no backends run). */
export async function decryptFile(hub: Hub, acctFile: string, acctKey: string | undefined, opts: CryptoOptions = {}): Promise<AcctData> {
  const bytes = tokenBytes(await readInputFile(acctFile, 'acct file'));
  requireKey(acctKey, acctFile);
  return decrypt(hub, bytes, acctKey as string, opts.cryptoPlugin, acctFile);
}

/** Encrypts `data` into `acctFile`, atomically, mode 0600. */
export async function writeFile(hub: Hub, acctFile: string, data: AcctData, acctKey: string, opts: CryptoOptions = {}): Promise<void> {
  const token = await encrypt(hub, data, acctKey, opts.cryptoPlugin);
  await writeFileAtomic(acctFile, token, AcctFileWriteError);
}

/**
 * `acct encrypt`: parses YAML file `inputFile` and writes it encrypted to `outputFile` (default
 * `<inputFile>.<cryptoPlugin>`). Without `acctKey` a key is generated; the result says which key was used.
 * An existing output file is replaced only when it opens with `acctKey`, or with `force` (AcctFileExistsError
 * otherwise); the output is locked while it is checked and written, so two runs at once cannot both succeed.
 * A big file is parsed in a worker: `signal` stops it (AcctInterruptedError, nothing written).
 */
export async function encryptFile(
  hub: Hub,
  inputFile: string,
  opts: CryptoOptions & OffThreadOptions & { acctKey?: string; outputFile?: string; force?: boolean } = {},
): Promise<{ acctKey: string; outputFile: string; generated: boolean }> {
  const cryptoPlugin = opts.cryptoPlugin ?? defaultCrypto(hub);
  cryptoModule(hub, cryptoPlugin);
  const text = plainText(await readInputFile(inputFile, 'input file'), inputFile);
  const data = await parseAcctYamlOffThread(text, inputFile, { signal: opts.signal, onProgress: opts.onProgress });
  const generated = opts.acctKey === undefined || opts.acctKey === null;
  const acctKey = generated ? await generateKey(hub, cryptoPlugin) : (opts.acctKey as string);
  const outputFile = opts.outputFile ?? `${inputFile}.${cryptoPlugin}`;
  const held = await lockAcctFile(outputFile, { waitMs: ENCRYPT_LOCK_WAIT_MS });
  try {
    const open = (file: string, key: string) => decryptFile(hub, file, key, { cryptoPlugin });
    const target = await overwriteTarget(outputFile, generated ? undefined : acctKey, opts.force === true, open);
    held.check();
    await writeFile(hub, target, data, acctKey, { cryptoPlugin });
  } finally {
    await held.release();
  }
  return { acctKey, outputFile, generated };
}

/** The raw profiles that the backends named in `data`'s backend section return (Python's hub.acct.backend.init.unlock). */
export async function backends(hub: Hub, data: AcctData, opts: ProfilesOptions & { acctFile?: string } = {}): Promise<Profiles> {
  const split = splitData(data, hub.acct.BACKEND_KEY ?? DEFAULT_BACKEND_KEY);
  if (!split.backends) return {};
  return runBackends(hub, split.backends, {
    allowed: allowedList(hub, opts.allowedBackendProfiles),
    hardFail: opts.hardFail === true,
    acctFile: opts.acctFile,
    backendKey: split.backendKey,
  });
}

/**
 * The mapping in `acctFile` with the profiles of its allowed backends merged over it (backends win). Still holds
 * `default` and the backend section, as Python acct's `profiles()` does.
 */
export async function profiles(hub: Hub, acctFile: string, acctKey?: string, opts: ProfilesOptions = {}): Promise<AcctData> {
  const data = await decryptFile(hub, acctFile, acctKey, opts);
  return deepMerge(data, await backends(hub, data, { ...opts, acctFile }));
}

/**
 * Unlocks `acctFile` into the hub: pops `default` into `hub.acct.DEFAULT` ('default' when absent) and the
 * backend section into `hub.acct.BACKENDS`, merges the profiles (backends' included) into `hub.acct.PROFILES` and
 * sets `hub.acct.UNLOCKED`. Like Python acct, a second call is a no-op.
 */
export async function unlock(hub: Hub, acctFile: string, acctKey?: string, opts: ProfilesOptions = {}): Promise<void> {
  if (hub.acct.UNLOCKED === true) {
    hub.log.debug('acct is already unlocked; unlock() did nothing');
    return;
  }
  const split = splitData(await profiles(hub, acctFile, acctKey, opts), hub.acct.BACKEND_KEY ?? DEFAULT_BACKEND_KEY);
  hub.acct.DEFAULT = split.defaultProfile ?? 'default';
  hub.acct.BACKEND_KEY = split.backendKey;
  hub.acct.BACKENDS = split.backends ?? {};
  hub.acct.PROFILES = deepMerge(hub.acct.PROFILES ?? {}, split.profiles);
  hub.acct.UNLOCKED = true;
}

/** Python acct's `unlock_blob`: the same as `unlock` on file contents, returning the parts instead of storing them. */
export async function unlockBlob(hub: Hub, contents: string | Uint8Array, acctKey: string, opts: ProfilesOptions = {}): Promise<SplitData> {
  const token = typeof contents === 'string' ? contents.trimEnd() : tokenBytes(Buffer.from(contents));
  const data = await decrypt(hub, token, acctKey, opts.cryptoPlugin);
  return splitData(deepMerge(data, await backends(hub, data, opts)), hub.acct.BACKEND_KEY ?? DEFAULT_BACKEND_KEY);
}

/**
 * Processed profiles for the dynes in `subs`: `{ [provider]: { [profileName]: ctx } }`.
 *
 * Gather plugin contract — a file `<project>/acct/<dyne>/<plugin>.ts` (so `hub.acct.<dyne>.<plugin>`):
 * - `export const ACCT = ['amqp', 'pika']`: the providers it serves (default: `[<plugin file name>]`);
 * - `export function gather(hub, profiles)` (sync or async) receives a copy of the raw profiles of exactly those
 *   providers, `{ [provider]: { [profileName]: data } }` (`{}` for a provider without profiles; only
 *   `profileName` when given), and returns the processed ones in the same shape, only for those providers;
 * - optional `export function close(hub, processed)` gets back what its gather returned, on
 *   `hub.acct.init.close()` and on `hub.close()`: close the connections gather opened.
 *
 * Providers that no gather plugin of `subs` serves pass through with their raw data. A failing plugin (load
 * error, throw, wrong shape) is logged with its name — never the data — and its providers are left out; with
 * `hardFail` it is thrown as AcctGatherError. Profiles come from `opts.profiles` (its backend section run and
 * `default` dropped) or `hub.acct.PROFILES` when unlocked.
 */
export async function gather(hub: Hub, subs: string | readonly string[], profileName?: string, opts: GatherOptions = {}): Promise<Profiles> {
  const dynes = typeof subs === 'string' ? [subs] : subs;
  if (!Array.isArray(dynes) || dynes.some((s) => typeof s !== 'string' || s === '')) {
    throw new AcctOptionsError('acct gather: subs must be a list of dyne names, e.g. ["evbus"]');
  }
  if (profileName !== undefined && (typeof profileName !== 'string' || profileName === '')) {
    throw new AcctOptionsError('acct gather: profileName must be a non-empty string');
  }
  let source: Profiles = hub.acct.UNLOCKED === true ? hub.acct.PROFILES : {};
  if (opts.profiles !== undefined) {
    if (!isPlainObject(opts.profiles)) throw new AcctOptionsError('acct gather: profiles must be a mapping of providers');
    const merged = deepMerge(opts.profiles, await backends(hub, opts.profiles, opts));
    source = splitData(merged, hub.acct.BACKEND_KEY ?? DEFAULT_BACKEND_KEY).profiles;
  }
  const plugins = gatherPlugins(hub, dynes);
  const served = new Set(plugins.flatMap((p) => p.providers));
  const out: Profiles = {};
  for (const [provider, byName] of Object.entries(source)) {
    if (served.has(provider) || !isPlainObject(byName)) continue;
    const kept = only(byName, profileName);
    if (profileName === undefined || Object.keys(kept).length > 0) out[provider] = copy(kept);
  }
  const processed = await runGather(hub, plugins, source, { profileName, hardFail: opts.hardFail === true, gathered: gatheredList(hub), hold: opts.hold });
  for (const [provider, byName] of Object.entries(processed)) {
    if (profileName === undefined || Object.keys(byName).length > 0) out[provider] = byName;
  }
  return out;
}

/** Runs the gather plugins of `subs` on `profiles` and returns only what they produced (no pass-through). */
export async function process_(
  hub: Hub,
  subs: readonly string[],
  rawProfiles: Profiles,
  opts: { hardFail?: boolean; profileName?: string; hold?: boolean } = {},
): Promise<Profiles> {
  return runGather(hub, gatherPlugins(hub, subs), rawProfiles, {
    profileName: opts.profileName,
    hardFail: opts.hardFail === true,
    gathered: gatheredList(hub),
    hold: opts.hold,
  });
}

/** Hands each gather plugin's output that nobody holds back to its `close(hub, processed)`, newest first; failures are logged. */
export async function close(hub: Hub): Promise<void> {
  const list = gatheredList(hub);
  const free = list.filter((e) => !e.held);
  list.splice(0, list.length, ...list.filter((e) => e.held));
  await closeEntries(hub, free.reverse(), {});
}

/**
 * Closes, once, what gather plugins produced for `processed` (found by identity of its ctx values, as gather
 * returned them) and forgets it, so hub.close() does not close it again. Callers that gathered with `hold`
 * must call this.
 */
export async function release(hub: Hub, processed: Profiles, opts: ReleaseOptions = {}): Promise<void> {
  const ctxs = new Set(ctxValues(processed));
  const list = gatheredList(hub);
  const mine = list.filter((e) => ctxValues(e.processed).some((v) => ctxs.has(v)));
  // a held gather that produced nothing has nothing to close; dropping it keeps the list from growing per run
  list.splice(0, list.length, ...list.filter((e) => !mine.includes(e) && !(e.held && ctxValues(e.processed).length === 0)));
  await closeEntries(hub, mine.reverse(), opts);
}

async function closeEntries(hub: Hub, entries: readonly Gathered[], opts: ReleaseOptions): Promise<void> {
  for (const entry of entries) {
    if (typeof entry.mod?.close !== 'function') continue;
    try {
      await entry.mod.close(entry.processed, opts);
    } catch (err) {
      hub.log.error(`acct gather plugin ${entry.ref}: close failed: ${describeError(err, { redact: true })}`, { plugin: entry.ref });
    }
  }
}

function ctxValues(processed: Profiles): unknown[] {
  return Object.values(processed).flatMap((byName) => (isPlainObject(byName) ? Object.values(byName) : []));
}

/** On hub.close(): close what gather plugins opened, then forget the credentials. */
export async function __close__(hub: Hub): Promise<void> {
  await close(hub);
  hub.acct.PROFILES = {};
  hub.acct.BACKENDS = {};
  hub.acct.UNLOCKED = false;
}

function gatheredList(hub: Hub): Gathered[] {
  if (!Array.isArray(hub.acct.GATHERED)) hub.acct.GATHERED = [];
  return hub.acct.GATHERED as Gathered[];
}

function allowedList(hub: Hub, given: readonly string[] | undefined): readonly string[] {
  const list: unknown = given ?? hub.OPT.acct?.allowed_backend_profiles ?? [];
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new AcctOptionsError('allowed backend profiles must be a list of names');
  }
  return list;
}

function requireKey(acctKey: unknown, source: string): string {
  if (acctKey === undefined || acctKey === null || acctKey === '') {
    throw new AcctKeyMissingError(`no acct key given for ${source} (set ACCT_KEY or pass --acct-key)`);
  }
  return acctKey as string;
}

function defaultCrypto(hub: Hub): string {
  const name: unknown = hub.OPT.acct?.crypto_plugin;
  return typeof name === 'string' && name !== '' ? name : DEFAULT_CRYPTO;
}

/** The loaded crypto plugin `name`, or an AcctOptionsError listing those that are. */
function cryptoModule(hub: Hub, name: string): Dynamic {
  if (typeof name !== 'string' || name === '') throw new AcctOptionsError('the crypto plugin name must be a non-empty string');
  const sub = Object.getOwnPropertyDescriptor(hub.acct, 'crypto')?.value;
  const mods: Dynamic[] = isSub(sub) ? [...(sub as Iterable<Dynamic>)] : [];
  const mod = mods.find((m) => m.name === name);
  if (mod) return mod;
  const failed = isSub(sub) ? (hub.pop.sub.failures(sub) as Array<{ module: string; message: string }>).find((f) => f.module === name) : undefined;
  if (failed) throw new AcctOptionsError(`crypto plugin ${name} failed to load: ${failed.message}`);
  throw new AcctOptionsError(`unknown crypto plugin "${name}" (available: ${mods.map((m) => m.name).join(', ') || 'none'})`);
}
