/**
 * Gather plugins turn raw profiles into processed ones (a ctx: an open connection, a signed client...).
 * See `gather` in acct/init.ts for the contract; this file finds the plugins and runs them.
 */
import { type TspopError } from '../src/errors.ts';
import { AcctGatherError } from './_errors.ts';
import { isSub } from '../src/sub.ts';
import type { Dynamic, Hub, LoadFailure } from '../src/types.ts';
import { isPlainObject, kindOf, type Profiles } from './_file-format.ts';
import { describeError } from '../src/describe-error.ts';

export interface GatherPlugin {
  /** e.g. `acct.evbus.amqp`, for messages. */
  readonly ref: string;
  /** Providers it serves: its `ACCT` export, else its own name. */
  readonly providers: readonly string[];
  /** The loaded module; undefined when it failed to load. */
  readonly mod: Dynamic;
  readonly failure: LoadFailure | undefined;
  /** A problem found before running it (a bad ACCT export). */
  readonly problem: string | undefined;
}

/** One plugin's output, kept so `close` can hand it back to the plugin. */
export interface Gathered {
  readonly ref: string;
  readonly mod: Dynamic;
  readonly processed: Profiles;
  /** Held by the caller of gather (it calls `release`); acct's own close on hub.close() leaves it alone. */
  readonly held: boolean;
}

/** The gather plugins of each dyne in `subs` (modules of `hub.acct.<dyne>` with a `gather` function), in order. */
export function gatherPlugins(hub: Hub, subs: readonly string[]): GatherPlugin[] {
  const out: GatherPlugin[] = [];
  for (const dyne of subs) {
    const sub = Object.getOwnPropertyDescriptor(hub.acct, dyne)?.value;
    if (!isSub(sub)) {
      hub.log.debug(`acct: no gather plugins for ${dyne} (no project has an acct/${dyne}/ folder)`);
      continue;
    }
    for (const mod of sub as Iterable<Dynamic>) {
      if (typeof mod.gather !== 'function') continue;
      const declared = mod.ACCT === undefined ? [mod.name] : typeof mod.ACCT === 'string' ? [mod.ACCT] : mod.ACCT;
      const valid = Array.isArray(declared) && declared.every((p) => typeof p === 'string' && p !== '');
      out.push({
        ref: `acct.${dyne}.${mod.name}`,
        providers: valid ? declared : [mod.name],
        mod,
        failure: undefined,
        problem: valid ? undefined : 'its ACCT export must be a list of provider names',
      });
    }
    for (const failure of hub.pop.sub.failures(sub) as LoadFailure[]) {
      out.push({ ref: `acct.${dyne}.${failure.module}`, providers: [failure.module], mod: undefined, failure, problem: undefined });
    }
  }
  return out;
}

/**
 * Runs every plugin at once on its providers' raw profiles (copies, restricted to `profileName` when given) and
 * merges what they return. A failing plugin is logged with its name and left out, or with `hardFail` the first
 * failure is thrown as AcctGatherError after the rest have settled (what did succeed is still in `gathered`, so
 * `close` releases it).
 */
export async function runGather(
  hub: Hub,
  plugins: readonly GatherPlugin[],
  profiles: Profiles,
  opts: { profileName: string | undefined; hardFail: boolean; gathered: Gathered[]; hold?: boolean },
): Promise<Profiles> {
  const settled = await Promise.allSettled(plugins.map(async (p) => {
    if (p.failure) throw new AcctGatherError(`it failed to load: ${p.failure.message}`, { cause: p.failure.cause });
    if (p.problem) throw new AcctGatherError(p.problem);
    const input: Profiles = {};
    for (const provider of p.providers) input[provider] = copy(only(profiles[provider], opts.profileName));
    const result: unknown = await p.mod.gather(input);
    const processed = checkProcessed(result, p);
    opts.gathered.push({ ref: p.ref, mod: p.mod, processed, held: opts.hold === true });
    return processed;
  }));

  const out: Profiles = {};
  let firstError: TspopError | undefined;
  settled.forEach((s, i) => {
    const p = plugins[i] as GatherPlugin;
    if (s.status === 'rejected') {
      const message = `acct gather plugin ${p.ref} failed: ${describeError(s.reason, { redact: true })}`;
      // with hardFail the caller gets it thrown and reports it: one failure, one line
      if (!opts.hardFail) hub.log.error(message, { plugin: p.ref });
      firstError ??= new AcctGatherError(message, { cause: s.reason });
      return;
    }
    for (const [provider, byName] of Object.entries(s.value)) {
      const mine = only(byName, opts.profileName);
      const merged = (out[provider] ??= {});
      for (const name of Object.keys(mine)) {
        if (name in merged) hub.log.warn(`acct gather: ${p.ref} replaces profile ${provider}.${name} from an earlier plugin`);
        merged[name] = mine[name];
      }
    }
  });
  if (opts.hardFail && firstError) throw firstError;
  return out;
}

function checkProcessed(result: unknown, p: GatherPlugin): Profiles {
  if (result === undefined || result === null) return {};
  if (!isPlainObject(result)) throw new AcctGatherError(`it returned ${kindOf(result)}, not { provider: { profile: ctx } }`);
  for (const [provider, byName] of Object.entries(result)) {
    if (!p.providers.includes(provider)) {
      throw new AcctGatherError(
        `it returned provider "${provider}", which it does not serve (ACCT = [${p.providers.join(', ')}]); return { provider: { profile: ctx } }`,
      );
    }
    if (!isPlainObject(byName)) throw new AcctGatherError(`it returned ${kindOf(byName)} for provider "${provider}", not { profile: ctx }`);
  }
  return result as Profiles;
}

/** The profiles of one provider, keeping only `profileName` when given. Non-mappings count as no profiles. */
export function only(byName: unknown, profileName: string | undefined): Record<string, Dynamic> {
  if (!isPlainObject(byName)) return {};
  if (profileName === undefined) return byName;
  return Object.hasOwn(byName, profileName) ? { [profileName]: byName[profileName] } : {};
}

/** A deep copy of raw profile data, so a plugin that pops keys (as Python's pika plugin does) never edits PROFILES. */
export function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
