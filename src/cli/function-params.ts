/**
 * Parameter names of a plugin function, read from its source (types are already stripped at run time), without
 * the leading `hub`. Good enough for a tree view; never used for calling.
 */
export function functionParams(fn: (...args: never[]) => unknown, dropFirst = true): string[] {
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
  const names = params.map((p) => p.split('=')[0]?.trim() ?? '').filter((p) => p !== '');
  return dropFirst ? names.slice(1) : names;
}
