/**
 * Fernet on 1 MiB, the size of a large acct file: ours (node:crypto) against the npm `fernet` package (crypto-js),
 * measured in the same run. Goal: decrypt >= 30x faster.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
// @ts-expect-error -- the npm `fernet` package (a dev-only baseline) ships no types; see FernetBaseline
import fernetBaseline from 'fernet';
import { decrypt, encrypt, generateKey } from '../../acct/crypto/fernet.ts';
import { measureOnce, report, section } from './lib.ts';

interface FernetBaseline {
  Secret: new (key: string) => object;
  Token: new (opts: { secret: object; token?: string; ttl?: number }) => { encode(message: string): string; decode(): string };
}

export async function run(): Promise<void> {
  const baseline = fernetBaseline as FernetBaseline;
  const hub = {} as never;
  const key = generateKey(hub);
  const secret = new baseline.Secret(key);
  // The baseline decodes to a UTF-8 string, so both sides get ASCII text of exactly 1 MiB.
  const text = randomBytes(786_432).toString('base64').slice(0, 1 << 20);
  const token = encrypt(hub, text, key);
  if (new baseline.Token({ secret, token, ttl: 0 }).decode() !== text) throw new Error('baseline cannot read our token');

  // measureOnce has no warm-up round; without one our first (JIT, allocation) run skews a 31-sample median.
  for (let i = 0; i < 5; i++) decrypt(hub, encrypt(hub, text, key), key);

  section('fernet: 1 MiB payload (ours: node:crypto; baseline: npm fernet 0.4 / crypto-js)');
  const theirsDec = await measureOnce('npm fernet decrypt 1 MiB', () => new baseline.Token({ secret, token, ttl: 0 }).decode(), 3);
  report(theirsDec);
  report(await measureOnce('tspop fernet decrypt 1 MiB (bytes)', () => decrypt(hub, token, key), 31), theirsDec, { minRatio: 30 });
  report(await measureOnce('tspop fernet decrypt 1 MiB (+ utf8 string, like baseline)', () => decrypt(hub, token, key).toString('utf8'), 31), theirsDec, { minRatio: 30 });

  const theirsEnc = await measureOnce('npm fernet encrypt 1 MiB', () => new baseline.Token({ secret }).encode(text), 3);
  report(theirsEnc);
  report(await measureOnce('tspop fernet encrypt 1 MiB', () => encrypt(hub, text, key), 31), theirsEnc, { minRatio: 30 });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
