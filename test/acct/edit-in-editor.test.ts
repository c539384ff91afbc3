import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editInEditor } from '../../acct/_edit-in-editor.ts';
import { AcctEditorError } from '../../acct/_errors.ts';
import { rejected } from '../helpers/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tspop-editor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell-script editor; `$f` is the file (the last argument). It records the file's and folder's modes. */
function editor(name: string, body: string): string {
  const path = join(dir, name);
  const lastArg = 'eval f=\\"\\${$#}\\"';
  const seen = join(dir, `${name}.seen`);
  writeFileSync(path, `#!/bin/sh\n${lastArg}\nstat -c '%a %n' "$f" "$(dirname "$f")" > "${seen}"\n${body}\n`, { mode: 0o755 });
  return path;
}

function acctEditDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith('acct-edit-'));
}

describe('editInEditor', () => {
  it('gives the editor a 0600 file in a 0700 folder and returns what it saved; the folder is gone after', async () => {
    const before = acctEditDirs();
    const ed = editor('upper.sh', 'tr a-z A-Z < "$f" > "$f.new" && mv "$f.new" "$f"');
    expect(await editInEditor('abc: def\n', { editor: ed })).toBe('ABC: DEF\n');
    const [file, folder] = readFileSync(join(dir, 'upper.sh.seen'), 'utf8').trim().split('\n');
    expect(file).toMatch(/^600 .*\/acct-edit-[^/]+\/acct\.yaml$/);
    expect(folder).toMatch(/^700 /);
    expect(acctEditDirs()).toEqual(before);
  });

  it('splits the editor command on whitespace (code -w style)', async () => {
    const ed = editor('args.sh', 'echo "args: $# first: $1" >> "$f"');
    const text = await editInEditor('x\n', { editor: `${ed}  -w` });
    expect(text).toBe('x\nargs: 2 first: -w\n');
  });

  it.each([
    ['a non-zero exit', 'exit 3', /exited with code 3/],
    ['a SIGINT', 'kill -INT $$; sleep 5', /stopped by SIGINT/],
  ])('throws AcctEditorError on %s and still removes the folder', async (name, body, message) => {
    const before = acctEditDirs();
    const err = await rejected(editInEditor('secret: x\n', { editor: editor(`${name.replace(/\W/g, '')}.sh`, body) }));
    expect(err).toBeInstanceOf(AcctEditorError);
    expect(err.message).toMatch(message);
    expect(acctEditDirs()).toEqual(before);
  });

  it('reports an editor that does not exist, and an empty editor setting', async () => {
    const err = await rejected(editInEditor('x', { editor: join(dir, 'no-such-editor') }));
    expect(err).toBeInstanceOf(AcctEditorError);
    expect(err.message).toContain('ENOENT');
    expect(await rejected(editInEditor('x', { editor: '  ' }))).toBeInstanceOf(AcctEditorError);
  });
});


describe('editInEditor: an unusable edit', () => {
  it('reopens the editor on the same text when editAgain says so, keeping the first edit', async () => {
    // first run appends a broken line; the second run (seeing it) repairs it: the user's first edit survives
    const ed = editor('fix.sh', 'if grep -q BROKEN "$f"; then sed -i "s/BROKEN: \\[/fixed: ok/" "$f"; else echo "BROKEN: [" >> "$f"; fi');
    const asked: unknown[] = [];
    const text = await editInEditor('a: 1\n', {
      editor: ed,
      validate: (t) => {
        if (t.includes('BROKEN')) throw new Error('bad yaml');
      },
      editAgain: async (err) => (asked.push(err), true),
    });
    expect(text).toBe('a: 1\nfixed: ok\n');
    expect(asked).toHaveLength(1);
  });

  it('without editAgain (not a terminal) the validation error is thrown and the temp folder is removed', async () => {
    const before = acctEditDirs();
    const ed = editor('break.sh', 'echo "BROKEN: [" >> "$f"');
    const err = await rejected(editInEditor('a: 1\n', { editor: ed, validate: () => { throw new Error('bad yaml'); } }));
    expect(err.message).toBe('bad yaml');
    expect(acctEditDirs()).toEqual(before);
  });
});
