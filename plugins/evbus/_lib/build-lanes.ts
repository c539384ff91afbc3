/**
 * Turns contexts into lanes: for every ingress plugin (name order), every acct provider in its `ACCT`, every
 * profile of that provider (filtered by the `ingressProfiles` allow-list) one lane. Plugins are checked here,
 * at start, so a dropped-in file without `ACCT` or `publish` fails with a coded error instead of at first event.
 */
import { describeError } from '../../../src/errors.ts';
import { EvbusIngressInvalidError, EvbusMatchError } from '../_errors.ts';
import { META } from '../../../src/meta.ts';
import type { Dynamic, Hub } from '../../../src/types.ts';
import { normalizeContexts } from './contexts.ts';
import type { LaneSpec } from './lane.ts';
import { matcher } from './plugin-lookup.ts';
import { DEFAULTS, type ResolvedStartOptions } from './start-options.ts';
import type { IngressCtx, IngressEvent } from './types.ts';

/** The profile the internal ingress gets when none is configured: matches every event profile. */
export const INTERNAL_DEFAULT_PROFILE = '*';

export function buildLanes(hub: Hub, input: unknown, o: ResolvedStartOptions): { lanes: LaneSpec[]; matchPlugin: string } {
  const { contexts, matchPlugin: fromContexts } = normalizeContexts(input);
  const matchPlugin = o.matchPlugin ?? fromContexts ?? DEFAULTS.matchPlugin;
  const match = matcher(hub, matchPlugin);
  const allow = new Set(o.ingressProfiles);
  const lanes: LaneSpec[] = [];
  for (const mod of hub.ingress ?? []) {
    if (mod.name === 'init') continue;
    const { acct, concurrency } = checkPlugin(mod);
    for (const provider of acct) {
      for (const [profile, data] of Object.entries(contexts[provider] ?? {})) {
        if (allow.size > 0 && !allow.has(profile)) continue;
        checkPattern(match, matchPlugin, provider, profile);
        lanes.push(lane(mod, provider, profile, data, concurrency));
      }
    }
  }
  const internal = hub.ingress?.internal;
  // the `*` tap keeps the newest events in memory: by default only as the embedded default, when nothing else
  // would receive them; evbus-test asks for it explicitly because printing what the bus carries is its job
  const tap = o.internalDefault ?? lanes.length === 0;
  if (tap && internal && contexts.internal === undefined) {
    lanes.push(lane(internal, 'internal', INTERNAL_DEFAULT_PROFILE, {}, checkPlugin(internal).concurrency));
  }
  return { lanes, matchPlugin };
}

function lane(mod: Dynamic, provider: string, profile: string, acct: unknown, concurrency: number): LaneSpec {
  const ctx: IngressCtx = Object.freeze({ acct, provider, profile });
  return { plugin: mod.name, ctx, publish: mod.publish as (ctx: IngressCtx, event: IngressEvent) => unknown, concurrency };
}

function checkPlugin(mod: Dynamic): { acct: readonly string[]; concurrency: number } {
  const where = `hub.ingress.${mod.name} (${((mod[META]?.paths ?? []) as string[]).join(', ')})`;
  const acct = mod.ACCT;
  if (!Array.isArray(acct) || acct.length === 0 || acct.some((p) => typeof p !== 'string' || p === '')) {
    throw new EvbusIngressInvalidError(`${where}: an ingress plugin must export ACCT, the acct providers it serves (e.g. export const ACCT = ['${mod.name}'])`);
  }
  if (typeof mod.publish !== 'function') {
    throw new EvbusIngressInvalidError(`${where}: an ingress plugin must export publish(hub, ctx, event)`);
  }
  const concurrency = mod.CONCURRENCY ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new EvbusIngressInvalidError(`${where}: CONCURRENCY must be a positive integer`);
  }
  return { acct, concurrency };
}

function checkPattern(match: (n: string, p: string) => boolean, plugin: string, provider: string, profile: string): void {
  try {
    match('', profile);
  } catch (cause) {
    throw new EvbusMatchError(`acct profile name "${profile}" (provider ${provider}) is not a valid ${plugin} pattern: ${describeError(cause)}`, { cause });
  }
}
