/** One parameter as written: its name (a destructuring pattern as written), and whether it is `...rest` or has a default. */
export interface ParamInfo {
  readonly name: string;
  readonly rest: boolean;
  readonly optional: boolean;
}

/**
 * Parameter names of a plugin function, read from its source (types are already stripped at run time), without
 * the leading `hub`. Good enough for a tree view and signature contracts; never used for calling.
 */
export function functionParams(fn: (...args: never[]) => unknown, dropFirst = true): string[] {
  // a class plugin's method, bound to its instance: a bound function's source says nothing, and a method takes no hub
  const method = (fn as { [METHOD_SOURCE]?: (...args: never[]) => unknown })[METHOD_SOURCE];
  if (method) return functionParams(method, false);
  return paramInfo(fn, dropFirst).map((p) => (p.rest ? `...${p.name}` : p.name));
}

/** On a class plugin's bound method: the method as written (for its parameter names). */
export const METHOD_SOURCE = Symbol('tspop.methodSource');

/** The parameters of `fn` with their kinds (see functionParams). */
export function paramInfo(fn: (...args: never[]) => unknown, dropFirst = true): ParamInfo[] {
  return rawParams(fn, dropFirst).map((raw) => {
    const [head = ''] = raw.split('=');
    const rest = head.trim().startsWith('...');
    return { name: head.trim().replace(/^\.\.\./, ''), rest, optional: raw.includes('=') };
  });
}

function rawParams(fn: (...args: never[]) => unknown, dropFirst: boolean): string[] {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  const arrow = src.indexOf('=>');
  if (open === -1 || (arrow !== -1 && arrow < open)) {
    // `x => ...`: a single unparenthesised parameter
    const single = src.slice(0, arrow).replace(/^async\s+/, '').trim();
    return dropFirst ? [] : [single];
  }
  let depth = 0;
  let start = open + 1;
  const params: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        params.push(src.slice(start, i));
        break;
      }
    } else if (c === ',' && depth === 1) {
      params.push(src.slice(start, i));
      start = i + 1;
    }
  }
  const list = params.map((p) => p.trim()).filter((p) => p !== '');
  return dropFirst ? list.slice(1) : list;
}
