/**
 * Runs the `acct-backends` section of an acct file (Python acct's `hub.acct.backend.init.unlock`):
 *
 *   acct-backends:
 *     <backend plugin>:          # a module of hub.acct.backend: env, file, or one a project adds
 *       <backend profile name>:  # what the allow-list names
 *         <options for the plugin>
 *
 * A backend plugin exports `unlock(hub, options, ctx)` returning (or resolving to) profiles in the acct shape
 * `{ provider: { profile: data } }`. Backends run one after another in file order and their profiles are merged
 * in that order. Backends do not nest: a backend section inside what a backend returns is dropped.
 */
import { AcctBackendError } from './_errors.ts';
import { isSub } from '../src/sub.ts';
import type { Dynamic, Hub } from '../src/types.ts';
import { BACKEND_KEY_KEY, DEFAULT_KEY, isPlainObject, kindOf, type Profiles } from './_file-format.ts';
import { deepMerge } from './_merge.ts';
import { describeError } from '../src/describe-error.ts';

/** What a backend plugin's `unlock` receives after its options. */
export interface BackendContext {
  /** The backend plugin's name, e.g. `env`. */
  readonly backend: string;
  /** The backend profile's name (the key under the backend). */
  readonly profile: string;
  /** The acct file whose section named this backend, when there is one: resolve relative paths against it. */
  readonly acctFile: string | undefined;
}

export interface RunBackendsOptions {
  /** Backend profile names allowed to run; empty: all. Entries may also be a backend name or `backend.profile`. */
  readonly allowed: readonly string[];
  readonly hardFail: boolean;
  readonly acctFile: string | undefined;
  readonly backendKey: string;
}

export async function runBackends(hub: Hub, section: Record<string, unknown>, opts: RunBackendsOptions): Promise<Profiles> {
  const fail = (message: string, cause?: unknown): void => {
    if (opts.hardFail) throw new AcctBackendError(message, cause === undefined ? undefined : { cause });
    hub.log.error(message);
  };
  const plugins = backendPlugins(hub);
  let out: Profiles = {};
  for (const [backend, profiles] of Object.entries(section)) {
    const plugin = plugins.get(backend);
    if (!plugin) {
      fail(`acct backend "${backend}" is not available (known: ${[...plugins.keys()].join(', ') || 'none'})`);
      continue;
    }
    if (!isPlainObject(profiles)) {
      fail(`acct backend "${backend}" must map backend profile names to options, not ${kindOf(profiles)}`);
      continue;
    }
    for (const [profile, options] of Object.entries(profiles)) {
      const ref = `${backend}.${profile}`;
      if (!allowedBy(opts.allowed, backend, profile)) {
        hub.log.info(`acct backend profile ${ref} is not in allowed_backend_profiles; skipped`);
        continue;
      }
      try {
        if (options !== null && options !== undefined && !isPlainObject(options)) {
          throw new AcctBackendError(`its options must be a mapping, not ${kindOf(options)}`);
        }
        const ctx: BackendContext = { backend, profile, acctFile: opts.acctFile };
        const result: unknown = await plugin.unlock(options ?? {}, ctx);
        out = deepMerge(out, checkResult(hub, result, ref, opts.backendKey));
      } catch (err) {
        fail(`acct backend ${ref} failed: ${describeError(err, { redact: true })}`, err);
      }
    }
  }
  return out;
}

/** Whether the allow-list lets backend profile `profile` of `backend` run (Python acct: empty allows all). */
export function allowedBy(allowed: readonly string[], backend: string, profile: string): boolean {
  return allowed.length === 0 || allowed.includes(profile) || allowed.includes(backend) || allowed.includes(`${backend}.${profile}`);
}

/** Loaded modules of hub.acct.backend that export `unlock`, by name. */
function backendPlugins(hub: Hub): Map<string, Dynamic> {
  const out = new Map<string, Dynamic>();
  const sub = Object.getOwnPropertyDescriptor(hub.acct, 'backend')?.value;
  if (!isSub(sub)) return out;
  for (const mod of sub as Iterable<Dynamic>) if (typeof mod.unlock === 'function') out.set(mod.name, mod);
  return out;
}

function checkResult(hub: Hub, result: unknown, ref: string, backendKey: string): Profiles {
  if (result === undefined || result === null) return {};
  if (!isPlainObject(result)) throw new AcctBackendError(`it returned ${kindOf(result)}, not { provider: { profile: data } }`);
  const out: Profiles = {};
  for (const [provider, profiles] of Object.entries(result)) {
    if (provider === backendKey || provider === BACKEND_KEY_KEY || provider === DEFAULT_KEY) {
      hub.log.warn(`acct backend ${ref} returned a "${provider}" entry; backends do not nest, so it is ignored`);
      continue;
    }
    if (!isPlainObject(profiles)) throw new AcctBackendError(`it returned ${kindOf(profiles)} for provider "${provider}", not { profile: data }`);
    out[provider] = profiles;
  }
  return out;
}
