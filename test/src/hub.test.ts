import { describe, it, expect, beforeEach } from 'vitest';
import { HUB, Hub, HubOptionsError, HubReadonlyError, LOGGER, createMemoryLogger } from '../../src/index.ts';
import { CLOSED } from '../fixtures/lifecycle/close-log.ts';
import { fixture, subPaths } from '../helpers/fixtures.ts';

const root = fixture('lifecycle');

beforeEach(() => {
  CLOSED.length = 0;
});

describe('Hub.create', () => {
  it('makes a hub with only the pop sub, rooted at the given folder', async () => {
    const hub = await Hub.create({ root });

    expect(hub.root).toBe(root);
    expect(subPaths(hub)).toEqual(['pop']);
    expect(Object.keys(hub.pop).sort()).toEqual(['config', 'ref', 'sub']);
  });

  it('defaults the root to the current folder', async () => {
    const hub = await Hub.create();

    expect(hub.root).toBe(process.cwd());
  });

  it.each([
    ['an unknown option', { rot: '/tmp' }],
    ['an empty root', { root: '' }],
    ['a non-object', 'root'],
  ])('rejects %s with TSPOP_ERR_HUB_OPTIONS', async (_what, options) => {
    await expect(Hub.create(options as never)).rejects.toThrow(HubOptionsError);
  });

  it('uses the logger it is given, and registers the hub and logger in its container', async () => {
    const logger = createMemoryLogger();
    const hub = await Hub.create({ root, logger });

    hub.log.info('hello', { who: 'test' });

    expect(logger.records).toEqual([{ level: 'info', msg: 'hello', fields: { who: 'test' } }]);
    expect(hub.container.resolve(LOGGER)).toBe(logger);
    expect(hub.container.resolve(HUB)).toBe(hub);
  });
});

describe('iterating the hub', () => {
  it('yields the subs in name order, aliases not repeated', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'second' });
    await hub.pop.sub.add({ staticDir: 'first' });

    expect(subPaths(hub)).toEqual(['first', 'pop', 'second']);
  });

  it('a sub alias (init.ts __sub_alias__) is another name for the same sub', async () => {
    const hub = await Hub.create({ root: fixture('basic') });
    await hub.pop.sub.add({ staticDir: 'mods' });

    expect(hub.mods_alias).toBe(hub.mods);
    expect(subPaths(hub)).toEqual(['mods', 'pop']);
  });
});

describe('hub.OPT', () => {
  it('is empty and frozen until hub.pop.config.load() builds it', async () => {
    const hub = await Hub.create({ root });

    expect(hub.OPT).toEqual({});
    expect(Object.isFrozen(hub.OPT)).toBe(true);
    expect(() => {
      (hub.OPT as Record<string, unknown>).mine = {};
    }).toThrow(HubReadonlyError);
  });

  it('is safe to read before config loads: an unknown namespace reads as an empty object', async () => {
    const hub = await Hub.create({ root });

    expect(hub.OPT.acct.acct_file).toBeUndefined();
    expect(Object.isFrozen(hub.OPT.acct)).toBe(true);
    expect('acct' in hub.OPT).toBe(false);
    expect(JSON.stringify(hub.OPT)).toBe('{}');
  });

  it('cannot be replaced: TSPOP_ERR_HUB_READONLY', async () => {
    const hub = await Hub.create({ root });

    expect(() => {
      (hub as { OPT: unknown }).OPT = {};
    }).toThrow(HubReadonlyError);
  });
});

describe('hub.close()', () => {
  it('runs __close__ hooks newest sub first (nested subs before their parent), modules in reverse name order', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'first' });
    await hub.pop.sub.add({ staticDir: 'second' });
    await hub.pop.sub.loadSubdirs(hub.second);

    await hub.close();

    expect(CLOSED).toEqual(['second.nested.d', 'second.c', 'first.b', 'first.a']);
  });

  it('runs once, however often it is called', async () => {
    const hub = await Hub.create({ root });
    await hub.pop.sub.add({ staticDir: 'first' });

    await Promise.all([hub.close(), hub.close()]);
    await hub.close();

    expect(CLOSED).toEqual(['first.b', 'first.a']);
  });

  it('logs a failing hook and still runs the others', async () => {
    const logger = createMemoryLogger();
    const hub = await Hub.create({ root, logger });
    await hub.pop.sub.add({ staticDir: 'failing' });

    await hub.close();

    expect(CLOSED).toEqual(['failing.after']);
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]?.level).toBe('error');
    expect(logger.records[0]?.msg).toContain('socket already closed');
    expect(logger.records[0]?.msg).toContain(fixture('lifecycle', 'failing', 'boom.ts'));
  });

  it('`await using` closes the hub at the end of the block (Symbol.asyncDispose)', async () => {
    {
      await using hub = await Hub.create({ root });
      await hub.pop.sub.add({ staticDir: 'first' });
      expect(CLOSED).toEqual([]);
    }

    expect(CLOSED).toEqual(['first.b', 'first.a']);
  });
});

describe('close order within a sub', () => {
  it('reverses the init order: init.ts initialises first and closes last', async () => {
    const { LOG } = await import('../fixtures/close-order/mods/_log.ts');
    const hub = await Hub.create({ root: fixture('close-order') });
    await hub.pop.sub.add({ staticDir: 'mods' });

    await hub.close();

    expect(LOG).toEqual(['init init', 'init aaa', 'init zzz', 'close zzz', 'close aaa', 'close init']);
  });
});

describe('subs and modules have names', () => {
  it('iterating the hub gives subs with their name, as modules have theirs', async () => {
    const hub = await Hub.create({ root: fixture('close-order') });
    await hub.pop.sub.add({ staticDir: 'mods' });

    expect([...hub].map((s: { name: string }) => s.name)).toEqual(['mods', 'pop']);
    expect([...hub.mods].map((m: { name: string }) => m.name)).toEqual(['aaa', 'init', 'zzz']);
  });
});
