import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksSecret, redactKnown, redactText, redactUrls } from '../../src/redact.ts';
import { describeError } from '../../src/describe-error.ts';

/** Passwords as people pick them: any printable character but white space, `/`, `@`, `:` and `%` included. */
const password = fc.stringMatching(/^[A-Za-z0-9/@:%?#&=+$,;!*'()[\]~._-]{3,24}$/).filter((p) => /[A-Za-z0-9]{3}/.test(p));
const user = fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/);
const scheme = fc.constantFrom('amqp', 'amqps', 'redis', 'postgres', 'mongodb+srv', 'https', 'nats');
const host = fc.constantFrom('localhost', 'broker.example.com:5672', '[::1]:5672', '10.0.0.1', 'h');

describe('redactUrls', () => {
  it('masks the whole password of a URL in any text, whatever characters it holds (property)', () => {
    fc.assert(
      fc.property(scheme, user, password, host, fc.constantFrom('', '/', '/vhost', '/%2F?heartbeat=30'), fc.constantFrom('', 'connect ', 'url='), fc.constantFrom('', ' failed', ': ECONNREFUSED', '"', ','),
        (sch, u, pw, h, path, before, after) => {
          const text = `${before}${sch}://${u}:${pw}@${h}${path}${after}`;
          const out = redactUrls(text);
          expect(out).not.toContain(`:${pw}@`);
          expect(out).toContain(`${sch}://${u}:***@`);
          expect(out).toContain(h);
        }),
      { numRuns: 2000 },
    );
  });

  it('leaves URLs without a password alone', () => {
    expect(redactUrls('see https://example.com/a@b and amqp://guest@h/')).toBe('see https://example.com/a@b and amqp://guest@h/');
    expect(redactUrls('amqp://u:hun/ter2@host amqp://v:p@ss@h2')).toBe('amqp://u:***@host amqp://v:***@h2');
  });
});

describe('looksSecret and redactKnown', () => {
  it('take a Fernet key for a secret, and absolute paths for file names', () => {
    expect(looksSecret('NxGomem8Yw6xcOuXeXzG8Vrw7gGp907gu9HnRniQKHM=')).toBe(true);
    expect(looksSecret('NxGomem8Yw6xcOuXeXzG8Vrw7gGp907gu9HnRniQKHM==1')).toBe(true);
    expect(looksSecret('/tmp/tspop-acct-cli-Xk3abc/w0/subfolder/creds_backup_file')).toBe(false);
    expect(looksSecret('creds.yml.fernet')).toBe(false);
    expect(redactKnown('file /tmp/tspop-acct-cli-Xk3abc/w0/subfolder/creds_backup_file and pw hunter2', ['hunter2'])).toBe(
      'file /tmp/tspop-acct-cli-Xk3abc/w0/subfolder/creds_backup_file and pw ***',
    );
  });

  it('redactText and describeError({ redact }) mask all three kinds at once', () => {
    const err = new Error('login amqp://u:s/cr@t@h failed; token: abc123; key NxGomem8Yw6xcOuXeXzG8Vrw7gGp907gu9HnRniQKHM=');
    const line = describeError(err, { redact: true });
    for (const s of ['s/cr@t', 'abc123', 'NxGomem8']) expect(line).not.toContain(s);
    expect(redactText('pw is hunter22', ['hunter22'])).toBe('pw is ***');
  });
});
