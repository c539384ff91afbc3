import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DYNE_SCANNER, Hub, createMemoryLogger, type DyneScanner } from '../../src/index.ts';
import { TSPOP_ROOT } from '../../src/dyne-scanner.ts';
import { fixture } from '../helpers/fixtures.ts';

const host = fixture('dyne-host');
const widgetsDir = join(host, 'node_modules', 'widgets', 'plugins');
const hostDir = join(host, 'widgets');
const extraDir = join(host, 'node_modules', 'widgets-extra', 'more');

async function widgetsHub() {
  const logger = createMemoryLogger();
  const hub = await Hub.create({ root: host, logger });
  await hub.pop.sub.add({ dyneName: 'widgets' });
  return { hub, logger };
}

describe('finding projects', () => {
  it('tspop itself, the host project, then dependencies whose package.json has "tspop": { "conf" }', async () => {
    const hub = await Hub.create({ root: host });
    const scanner = hub.container.resolve<DyneScanner>(DYNE_SCANNER);

    const projects = await scanner.projects();

    expect(projects.map((p) => p.name)).toEqual(['tspop', 'host-app', 'widgets', 'widgets-extra', 'widgets-theme']);
    expect(projects[0]?.root).toBe(TSPOP_ROOT);
  });

  it('follows dependencies only through tspop projects: plain-lib and what it depends on are never read', async () => {
    const hub = await Hub.create({ root: host });

    await hub.pop.sub.add({ dyneName: 'themes' });

    expect(hub.pop.sub.getDirs(hub.themes)).toEqual([join(host, 'node_modules', 'widgets-theme', 'themes')]);
    expect(hub.themes.dark.colour()).toBe('black');
    expect(hub.themes.light).toBeUndefined();
  });
});

describe('a dyne extended by three projects', () => {
  it('merges their folders: the owner (named like the dyne) first, then the others by name', async () => {
    const { hub } = await widgetsHub();

    expect(hub.pop.sub.getDirs(hub.widgets)).toEqual([widgetsDir, hostDir, extraDir]);
  });

  it('merges same-named files into one module with every project’s functions', async () => {
    const { hub } = await widgetsHub();

    expect(hub.widgets.shared.baseOnly()).toBe('widgets');
    expect(hub.widgets.shared.hostOnly()).toBe('host-app');
    expect(hub.widgets.shared.extraOnly()).toBe('widgets-extra');
    expect(hub.widgets.core.version()).toBe('1.0.0');
  });

  it('lets the later project win a function clash', async () => {
    const { hub } = await widgetsHub();

    expect(hub.widgets.shared.hello()).toBe('hello from widgets-extra');
    expect(hub.widgets.shared.who()).toBe('host-app');
  });

  it('logs a warning for each clash, naming both files', async () => {
    const { logger } = await widgetsHub();

    const warnings = logger.records.filter((r) => r.level === 'warn');

    expect(warnings.map((w) => w.fields)).toEqual([
      { winner: join(hostDir, 'shared.ts'), loser: join(widgetsDir, 'shared.ts') },
      { winner: join(hostDir, 'shared.ts'), loser: join(widgetsDir, 'shared.ts') },
      { winner: join(extraDir, 'shared.ts'), loser: join(hostDir, 'shared.ts') },
    ]);
    for (const w of warnings) {
      expect(w.msg).toContain(w.fields?.winner as string);
      expect(w.msg).toContain(w.fields?.loser as string);
    }
    expect(warnings.map((w) => w.msg.match(/widgets\.shared\.(\w+)/)?.[1])).toEqual(['hello', 'who', 'hello']);
  });

  it('groups same-named sub-folders of every project into one nested sub', async () => {
    const { hub } = await widgetsHub();

    await hub.pop.sub.loadSubdirs(hub.widgets);

    expect(hub.pop.sub.getDirs(hub.widgets.nest)).toEqual([join(widgetsDir, 'nest'), join(hostDir, 'nest'), join(extraDir, 'nest')]);
    expect(hub.widgets.nest.deep.fromWidgets()).toBe('widgets');
    expect(hub.widgets.nest.deep.fromHost()).toBe('host-app');
    expect(hub.widgets.nest.deep.fromExtra()).toBe('widgets-extra');
  });

  it('tspop’s own dynes are always there, whatever the root', async () => {
    const hub = await Hub.create({ root: host });
    const scanner = hub.container.resolve<DyneScanner>(DYNE_SCANNER);

    expect((await scanner.dirs('acct')).map((d) => d.project)).toEqual(['tspop']);
  });
});

describe('a DYNE folder that does not exist', () => {
  it('still loads the others, and the warning names the dyne, the project and the folder', async () => {
    const { Hub, createMemoryLogger } = await import('../../src/index.ts');
    const logger = createMemoryLogger();
    const hub = await Hub.create({ root: fixture('dyne-typo'), logger });

    await hub.pop.sub.add({ dyneName: 'gadgets' });

    expect(hub.gadgets.spin.spin()).toBe('spun');
    const warning = logger.records.find((r) => r.level === 'warn')?.msg ?? '';
    expect(warning).toMatch(/dyne gadgets: project dyne-typo declares folder .*gadget, which does not exist/);
  });
});
