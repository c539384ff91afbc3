import type { Sub } from '../sub.ts';
import type { Hub } from '../types.ts';
import { dyneScannerOf } from '../core-services.ts';
import { realHub } from '../real-hub.ts';
import { compareNames } from '../plugin-files.ts';

/**
 * Adds the given dynes (default: every dyne that any project declares) with all their sub-folders, as the
 * introspection commands see them, and returns their subs in that order.
 */
export async function loadDynes(hub: Hub, dynes: readonly string[]): Promise<Sub[]> {
  const scanner = dyneScannerOf(realHub(hub));
  const names = dynes.length > 0 ? [...dynes] : [...new Set((await scanner.projects()).flatMap((p) => Object.keys(p.conf.DYNE)))].sort(compareNames);
  const out: Sub[] = [];
  for (const name of names) {
    if (!hub[name]) await hub.pop.sub.add({ dyneName: name });
    await hub.pop.sub.loadSubdirs(hub[name], { recurse: true });
    out.push(hub[name] as Sub);
  }
  return out;
}
