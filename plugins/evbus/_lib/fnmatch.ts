/**
 * Python's `fnmatch.fnmatchcase` (what pop-evbus's glob matcher does on POSIX): `*`, `?`, `[seq]`, `[!seq]`,
 * whole-string and case-sensitive; a `[` without its `]` is a literal. Compiled patterns are cached.
 */
const cache = new Map<string, RegExp>();
const CACHE_MAX = 1024;

export function fnmatch(name: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${translate(pattern)}$`, 'su');
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(name);
}

/** The regex source for a glob, following CPython's `fnmatch.translate`. */
export function translate(pattern: string): string {
  let out = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++] as string;
    if (c === '*') {
      while (pattern[i] === '*') i++; // `**` means the same as `*`
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
        continue;
      }
      out += charClass(pattern.slice(i, j));
      i = j + 1;
    } else {
      out += escape(c);
    }
  }
  return out;
}

/** `[seq]` / `[!seq]` body -> a JS class; reversed ranges are dropped (as CPython does), every char escaped. */
function charClass(body: string): string {
  const negate = body.startsWith('!');
  const chars = Array.from(negate ? body.slice(1) : body);
  const parts: string[] = [];
  for (let p = 0; p < chars.length; p++) {
    const a = chars[p] as string;
    if (chars[p + 1] === '-' && p + 2 < chars.length) {
      const b = chars[p + 2] as string;
      p += 2;
      if ((a.codePointAt(0) as number) <= (b.codePointAt(0) as number)) parts.push(`${code(a)}-${code(b)}`);
    } else {
      parts.push(code(a));
    }
  }
  if (parts.length === 0) return negate ? '.' : '(?!)';
  return `[${negate ? '^' : ''}${parts.join('')}]`;
}

function code(c: string): string {
  return `\\u{${(c.codePointAt(0) as number).toString(16)}}`;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
