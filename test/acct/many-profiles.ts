/**
 * The big-file shape of issue 7: `count` small profiles of 4 fields (host, port, username, password) over 20
 * providers; 20,000 of them make a ~2 MB acct file. Shared by the interop test and the acct bench.
 */
export type ManyProfiles = Record<string, Record<string, { host: string; port: number; username: string; password: string }>>;

export function manyProfiles(count = 20_000): ManyProfiles {
  const out: ManyProfiles = {};
  for (let i = 0; i < count; i++) {
    (out[`provider_${i % 20}`] ??= {})[`profile_${i}`] = {
      host: `db${i}.internal`,
      port: 5432 + (i % 100),
      username: `svc${i}`,
      // distinct per profile, with a non-ASCII character as real passwords sometimes have
      password: `${((i + 1) * 2_654_435_761).toString(36)}é`,
    };
  }
  return out;
}
