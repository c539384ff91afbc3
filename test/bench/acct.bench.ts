/**
 * The whole acct file path on a 1 MiB acct file: read + fernet + msgpack -> profiles. Ours (hub.acct.init and its
 * pieces) against the npm `fernet` package (crypto-js) + @msgpack/msgpack, measured in the same run.
 * Goal: decrypt >= 30x faster.
 *
 * npm fernet only returns UTF-8 text, so binary msgpack cannot go through it as is: the baseline's file carries
 * base64(msgpack), and to keep the comparison fair both files are ~1 MiB (the baseline's profiles are smaller).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decode, encode } from '@msgpack/msgpack';
// @ts-expect-error -- the npm `fernet` package (a dev-only baseline) ships no types; see FernetBaseline
import fernetBaseline from 'fernet';
import { Hub } from '../../src/index.ts';
import { decrypt as fernetDecrypt } from '../../acct/crypto/fernet.ts';
import { unpackProfiles } from '../../acct/_file-format.ts';
import { measureOnce, report, section } from './lib.ts';

interface FernetBaseline {
  Secret: new (key: string) => object;
  Token: new (opts: { secret: object; token?: string; ttl?: number }) => { encode(message: string): string; decode(): string };
}

const MIB = 1 << 20;

type Profiles = Record<string, Record<string, Record<string, unknown>>>;

/** Many small profiles (URLs, tokens, ports): the worst case for msgpack, ~20k short strings per MiB. */
function smallProfiles(bytes: number): Profiles {
  const out: Profiles = {};
  for (let i = 0, size = 0; size < bytes; i++, size += 230) {
    (out[`provider_${i % 50}`] ??= {})[`profile_${i}`] = {
      url: `amqp://user${i}:${randomBytes(12).toString('hex')}@host${i}:5672/`,
      token: randomBytes(96).toString('base64'),
      port: 5672 + i,
      ssl: i % 2 === 0,
      tags: ['a', 'b'],
    };
  }
  return out;
}

/** Profiles carrying TLS material (a PEM certificate and key each), as kubeconfig/broker credentials do. */
function certProfiles(bytes: number): Profiles {
  const pem = (label: string, n: number) => `-----BEGIN ${label}-----\n${randomBytes(n).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
  const out: Profiles = {};
  for (let i = 0, size = 0; size < bytes; i++, size += 6300) {
    (out[`cluster_${i % 10}`] ??= {})[`profile_${i}`] = { server: `https://k8s-${i}.example:6443`, ca: pem('CERTIFICATE', 1500), cert: pem('CERTIFICATE', 1500), key: pem('PRIVATE KEY', 1200) };
  }
  return out;
}

export async function run(): Promise<void> {
  const baseline = fernetBaseline as FernetBaseline;
  const dir = mkdtempSync(join(tmpdir(), 'tspop-acct-bench-'));
  const hub = await Hub.create({ root: fileURLToPath(new URL('../../', import.meta.url)) });
  try {
    await hub.pop.sub.add({ dyneName: 'acct' });
    const key: string = await hub.acct.init.generateKey();
    const secret = new baseline.Secret(key);
    const kib = (f: string) => `${(statSync(f).size / 1024).toFixed(0)} KiB`;

    for (const [shape, make] of [['many small profiles', smallProfiles], ['certificate profiles', certProfiles]] as const) {
      // ours: token of msgpack, ~1 MiB on disk (base64 makes 3 bytes 4)
      const data = make(Math.floor((MIB * 3) / 4) - 300);
      const ours = join(dir, 'ours.fernet');
      await hub.acct.init.writeFile(ours, data, key);
      // baseline: token of base64(msgpack), also ~1 MiB on disk
      const small = make(Math.floor((MIB * 9) / 16) - 300);
      const theirs = join(dir, 'theirs.fernet');
      writeFileSync(theirs, new baseline.Token({ secret }).encode(Buffer.from(encode(small)).toString('base64')));
      const baselineRead = () => decode(Buffer.from(new baseline.Token({ secret, token: readFileSync(theirs, 'latin1'), ttl: 0 }).decode(), 'base64'));
      if (JSON.stringify(baselineRead()) !== JSON.stringify(small)) throw new Error('baseline did not read its file back');
      if (JSON.stringify(await hub.acct.init.decryptFile(ours, key)) !== JSON.stringify(data)) throw new Error('we did not read our file back');
      for (let i = 0; i < 5; i++) await hub.acct.init.decryptFile(ours, key);

      section(`acct file, ${shape}: read + fernet + msgpack (ours ${kib(ours)}; baseline ${kib(theirs)}: npm fernet 0.4 + @msgpack/msgpack)`);
      const them = await measureOnce('npm fernet + msgpack: read 1 MiB acct file', baselineRead, 3);
      report(them);
      report(await measureOnce('tspop hub.acct.init.decryptFile 1 MiB', () => hub.acct.init.decryptFile(ours, key), 31), them, { minRatio: 30 });
      const token = readFileSync(ours);
      report(await measureOnce('  of which fernet (node:crypto)', () => fernetDecrypt(hub, token, key), 31), them);
      const plain = fernetDecrypt(hub, token, key);
      report(await measureOnce('  of which msgpack -> profiles', () => unpackProfiles(plain), 31), them);

      const themEnc = await measureOnce('npm fernet + msgpack: encrypt 1 MiB', () => new baseline.Token({ secret }).encode(Buffer.from(encode(small)).toString('base64')), 3);
      report(themEnc);
      report(await measureOnce('tspop hub.acct.init.encrypt 1 MiB (in memory)', () => hub.acct.init.encrypt(data, key), 31), themEnc, { minRatio: 30 });
      report(await measureOnce('tspop hub.acct.init.writeFile 1 MiB (atomic + fsync)', () => hub.acct.init.writeFile(ours, data, key), 11), themEnc);
    }
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
