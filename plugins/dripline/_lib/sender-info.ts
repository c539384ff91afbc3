import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { SenderInfo } from './message.ts';

let cached: { exe: string; hostname: string; username: string; version: string } | undefined;

/** Package version, read once (the message headers carry it in sender_info.versions). */
export function tspopVersion(): string {
  return base().version;
}

function base(): NonNullable<typeof cached> {
  if (cached) return cached;
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // a repackaged copy without package.json still sends messages
  }
  let username = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  try {
    username = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the environment's name
  }
  cached = { exe: process.argv[1] ?? process.execPath, hostname: hostname(), username, version };
  return cached;
}

/** sender_info for messages this process sends on behalf of `serviceName`. */
export function senderInfo(serviceName: string): SenderInfo {
  const b = base();
  return {
    exe: b.exe,
    hostname: b.hostname,
    username: b.username,
    service_name: serviceName,
    versions: { tspop: { version: b.version, package: 'tspop' } },
  };
}
