/**
 * Python's str() of JSON-ish values, so text that dripline-python users compare against reads the same:
 * floats keep a decimal point (4.0, not 4), True/False/None, and dict/list reprs with single quotes.
 */

/** str(x) for a Python float (every JS number is one to us). */
export function pyFloatStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const s = String(x);
  // JS writes 1e-7 and 1e+21; Python writes 1e-07 and 1e+21
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** str(x): strings as they are, numbers as Python prints them (integers stay integers). */
export function pyStr(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : pyFloatStr(x);
  return pyRepr(x);
}

/** repr(x) for JSON values: {'value_cal': 1.5, 'value_raw': '0.75'}; keys in the order given. */
export function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (x === true) return 'True';
  if (x === false) return 'False';
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : pyFloatStr(x);
  if (typeof x === 'string') return quote(x);
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(', ')}]`;
  if (typeof x === 'object') return `{${Object.entries(x as Record<string, unknown>).map(([k, v]) => `${quote(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return quote(String(x));
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}
