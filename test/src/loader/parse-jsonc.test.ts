import { describe, it, expect } from 'vitest';
import { parseJsonc } from '../../../src/loader/parse-jsonc.ts';

describe('parseJsonc', () => {
  it('reads tsconfig-style JSON: comments and trailing commas, but not inside strings', () => {
    const text = '\ufeff{\n  // line\n  "a": "http://x/*y*/", /* block */\n  "b": [1, 2,],\n  "c": "a,]",\n}\n';

    expect(parseJsonc(text)).toEqual({ a: 'http://x/*y*/', b: [1, 2], c: 'a,]' });
  });

  it('escaped quotes do not end a string', () => {
    expect(parseJsonc('{"a": "say \\"hi\\" // not a comment"}')).toEqual({ a: 'say "hi" // not a comment' });
  });

  it('invalid JSON still throws', () => {
    expect(() => parseJsonc('{"a": }')).toThrow(SyntaxError);
  });
});
