import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { GENERATED_MARKER, importSpecifier, renderHubTypes } from '../../../src/cli/render-hub-types.ts';
import type { TypedSub } from '../../../src/cli/describe-hub-types.ts';

const root = '/host';

function sub(name: string, over: Partial<TypedSub> = {}): TypedSub {
  return { name, path: [name], aliases: [], modules: [], state: [], subs: [], refused: [], failed: [], ...over };
}

const fn = (name: string, file: string, key = name) => ({ name, source: { kind: 'function' as const, file: join(root, file), key } });

describe('the declaration file tspop types writes', () => {
  it('augments HubSubs with each function typed from its own export, the hub dropped', () => {
    const text = renderHubTypes([sub('greet', { modules: [{ name: 'hello', members: [fn('say', 'plugins/greet/hello.ts')] }] })], root);

    expect(text.startsWith(GENERATED_MARKER)).toBe(true);
    expect(text).toContain("declare module 'tspop' {\n  interface HubSubs {\n    greet: Sub & {\n      hello: Module & {\n");
    expect(text).toContain('say: HubFunction<typeof import("./plugins/greet/hello.js").say>;');
  });

  it('lists members in name order, whatever order they were found in', () => {
    const a = renderHubTypes([sub('s', { modules: [{ name: 'm', members: [fn('b', 'm.ts'), fn('a', 'm.ts')] }] })], root);
    const b = renderHubTypes([sub('s', { modules: [{ name: 'm', members: [fn('a', 'm.ts'), fn('b', 'm.ts')] }] })], root);

    expect(a).toBe(b);
    expect(a.indexOf(' a: ')).toBeLessThan(a.indexOf(' b: '));
  });

  it('quotes names that are not identifiers, in properties and exports', () => {
    const text = renderHubTypes([sub('my-sub', { modules: [{ name: 'my-mod', members: [fn('do-it', 'x.ts', 'do-it')] }] })], root);

    expect(text).toContain('"my-sub": Sub & {');
    expect(text).toContain('"do-it": HubFunction<(typeof import("./x.js"))["do-it"]>;');
  });

  it('types an alias as the very sub it names, nested ones by their path', () => {
    const inner = sub('b', { path: ['plugins', 'b'], aliases: ['bee'] });
    const text = renderHubTypes([sub('plugins', { aliases: ['alt'], subs: [inner] })], root);

    expect(text).toContain('alt: HubSubs["plugins"];');
    expect(text).toContain('bee: HubSubs["plugins"]["b"];');
  });

  it('state no file declares is unknown; class methods come from the default export', () => {
    const text = renderHubTypes(
      [sub('s', { state: ['CALLS'], modules: [{ name: 'svc', members: [{ name: 'run', source: { kind: 'method', file: '/host/svc.ts', key: 'run' } }] }] })],
      root,
    );

    expect(text).toContain('CALLS: unknown;');
    expect(text).toContain('run: (typeof import("./svc.js").default)["prototype"]["run"];');
  });

  it('a module named `name` hides the sub getter of that name', () => {
    const text = renderHubTypes([sub('s', { modules: [{ name: 'name', members: [] }] })], root);

    expect(text).toContain('s: Omit<Sub, "name"> & {\n      name: Module;');
  });
});

describe('importSpecifier', () => {
  it('is relative to the out folder and uses the JavaScript ending TypeScript maps to the source', () => {
    expect(importSpecifier('/host', '/host/plugins/a.ts')).toBe('./plugins/a.js');
    expect(importSpecifier('/host/types', '/host/plugins/a.mts')).toBe('../plugins/a.mjs');
    expect(importSpecifier('/host', '/host/a.cts')).toBe('./a.cjs');
    expect(importSpecifier('/host', '/host/node_modules/dep/b.js')).toBe('./node_modules/dep/b.js');
  });
});
