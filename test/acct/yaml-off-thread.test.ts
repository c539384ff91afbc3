import { describe, expect, it } from 'vitest';
import { AcctInterruptedError, AcctYamlError } from '../../acct/_errors.ts';
import { OFF_THREAD_CHARS, parseAcctYamlOffThread, renderProfilesOffThread } from '../../acct/_yaml-off-thread.ts';
import { parseAcctYaml, renderProfiles, renderProfilesQuickly } from '../../acct/_yaml.ts';

function doc(profiles: number, extra = ''): string {
  let s = 'amqp:\n';
  for (let i = 0; i < profiles; i++) s += `  p${i}:\n    host: host${i}.example.com\n    port: ${5000 + (i % 1000)}\n    password: pw-${i}-abcdefgh\n`;
  return s + extra;
}

describe('acct YAML off the main thread', () => {
  it('parses and renders a big document in a worker to exactly what the in-thread functions give', async () => {
    const text = doc(20_000);
    expect(text.length).toBeGreaterThan(OFF_THREAD_CHARS);
    const data = await parseAcctYamlOffThread(text, 'big.yml');
    expect(data).toEqual(parseAcctYaml(text, 'big.yml'));
    expect(await renderProfilesOffThread(data, 'yaml', text.length)).toBe(renderProfiles(data, 'yaml'));
  });

  it('renders big plain profiles in this thread and the rest in a worker, both exactly as renderProfiles', async () => {
    const plain = parseAcctYaml(doc(20_000), 'big.yml');
    const size = OFF_THREAD_CHARS;
    expect(renderProfilesQuickly(plain, 'yaml')).toBeDefined();
    expect(await renderProfilesOffThread(plain, 'yaml', size)).toBe(renderProfiles(plain, 'yaml'));
    expect(await renderProfilesOffThread(plain, 'json', size)).toBe(renderProfiles(plain, 'json'));
    // a multi-line value needs the yaml library: that goes to the worker
    const mixed = parseAcctYaml(doc(20_000, 'notes:\n  p:\n    text: "two\\nlines"\n'), 'big.yml');
    expect(renderProfilesQuickly(mixed, 'yaml')).toBeUndefined();
    expect(await renderProfilesOffThread(mixed, 'yaml', size)).toBe(renderProfiles(mixed, 'yaml'));
  });

  it('brings the worker\'s coded error back as the same class, still without the source text', async () => {
    const text = doc(20_000, 'bad:\n  password: !Hunter2Secret\n');
    const err = await parseAcctYamlOffThread(text, 'big.yml').catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(AcctYamlError);
    expect((err as Error).message).toMatch(/^big\.yml: YAML syntax error at line 80003, column 13: /);
    expect((err as Error).message).not.toContain('Hunter2');
  });

  it('stops at once when its signal aborts (the main thread stays free for signal handlers)', async () => {
    const text = doc(150_000);
    const controller = new AbortController();
    const parsing = parseAcctYamlOffThread(text, 'huge.yml', { signal: controller.signal });
    // the main thread is not blocked: this timer fires while the worker parses
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    controller.abort(Object.assign(new Error('received SIGTERM'), { signal: 'SIGTERM' }));
    const err = await parsing.catch((e: unknown) => e as Error & { exitCode?: number });
    expect(err).toBeInstanceOf(AcctInterruptedError);
    expect(err.exitCode).toBe(143);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
