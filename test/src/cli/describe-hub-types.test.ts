import { describe, it, expect } from 'vitest';
import { Hub, ModVirtualError } from '../../../src/index.ts';
import { describeHubTypes, type TypedSub } from '../../../src/cli/describe-hub-types.ts';
import { loadDynes } from '../../../src/cli/load-dynes.ts';
import { fixture } from '../../helpers/fixtures.ts';

const root = fixture('types-host');
const file = (name: string) => fixture('types-host', 'plugins', 'greet', name);

async function greet(): Promise<TypedSub> {
  const hub = await Hub.create({ root });
  try {
    const [sub] = await loadDynes(hub, ['greet']);
    return describeHubTypes(sub as NonNullable<typeof sub>);
  } finally {
    await hub.close();
  }
}

const moduleOf = (sub: TypedSub, name: string) => sub.modules.find((m) => m.name === name);

describe('what tspop types reads from a loaded sub', () => {
  it('each function by its hub name, with the file and export it came from (__func_alias__ undone)', async () => {
    const hello = moduleOf(await greet(), 'hello');

    expect(hello?.members.find((m) => m.name === 'list')?.source).toEqual({ kind: 'function', file: file('hello.ts'), key: 'list_' });
    expect(hello?.members.map((m) => m.name)).toEqual(['MODE', 'PREFIX', 'SEEN', 'TIMES', 'later', 'list', 'same', 'say']);
  });

  it('exported variables as values, state set at run time as state', async () => {
    const hello = moduleOf(await greet(), 'hello');

    expect(hello?.members.find((m) => m.name === 'TIMES')?.source).toEqual({ kind: 'value', file: file('hello.ts'), key: 'TIMES' });
    expect(hello?.members.find((m) => m.name === 'SEEN')?.source).toEqual({ kind: 'state' });
  });

  it('class plugin methods as methods of the default export', async () => {
    const greeter = moduleOf(await greet(), 'greeter');

    expect(greeter?.members).toEqual([{ name: 'welcome', source: { kind: 'method', file: file('greeter.ts'), key: 'welcome' } }]);
  });

  it('the __virtualname__ winner under the virtual name; the refused module as refused, not failed', async () => {
    const sub = await greet();

    expect(moduleOf(sub, 'speed')?.members[0]?.source).toMatchObject({ file: file('fast.ts') });
    expect(sub.modules.map((m) => m.name)).toEqual(['greeter', 'hello', 'init', 'shout', 'speed']);
    expect(sub.refused).toEqual([expect.objectContaining({ ref: 'greet.win', code: ModVirtualError.code })]);
    expect(sub.failed).toEqual([]);
  });

  it('sub state, aliases and nested subs', async () => {
    const sub = await greet();

    expect(sub.state).toEqual(['CALLS']);
    expect(sub.aliases).toEqual(['hi']);
    expect(sub.subs.map((s) => s.path)).toEqual([['greet', 'formal']]);
  });
});
