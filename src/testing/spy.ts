/**
 * A test double shaped like vitest's and jest's `fn()` (`mock.calls`, `mockReturnValue`, `mockImplementation`,
 * `mockResolvedValue`), so plugin tests need no framework. Pass your framework's own with `{ spy: vi.fn }`.
 */
export interface Spy<Args extends unknown[] = unknown[], Ret = unknown> {
  (...args: Args): Ret;
  readonly mock: { readonly calls: Args[]; readonly results: Array<{ type: 'return' | 'throw'; value: unknown }> };
  mockImplementation(impl: (...args: Args) => Ret): this;
  mockReturnValue(value: Ret): this;
  mockResolvedValue(value: Awaited<Ret>): this;
  mockClear(): this;
}

/** A spy calling `impl` (default: returns undefined) and recording every call. */
export function spy<Args extends unknown[] = unknown[], Ret = unknown>(impl?: (...args: Args) => Ret): Spy<Args, Ret> {
  let current = impl;
  const calls: Args[] = [];
  const results: Array<{ type: 'return' | 'throw'; value: unknown }> = [];
  const fn = ((...args: Args): Ret => {
    calls.push(args);
    try {
      const value = current ? current(...args) : (undefined as Ret);
      results.push({ type: 'return', value });
      return value;
    } catch (err) {
      results.push({ type: 'throw', value: err });
      throw err;
    }
  }) as Spy<Args, Ret>;
  Object.defineProperty(fn, 'mock', { value: { calls, results } });
  fn.mockImplementation = (next) => ((current = next), fn);
  fn.mockReturnValue = (value) => ((current = () => value), fn);
  fn.mockResolvedValue = (value) => ((current = () => Promise.resolve(value) as Ret), fn);
  fn.mockClear = () => ((calls.length = 0), (results.length = 0), fn);
  return fn;
}
