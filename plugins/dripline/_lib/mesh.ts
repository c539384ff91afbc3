/**
 * The mesh settings a service or client connects with (dripline-cpp's dripline_config): defaults, then
 * ~/.dripline_mesh.yaml when present (as dripline-cpp reads it), then the service file's `dripline_mesh`, then
 * command-line flags.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DriplineConfigError } from '../_errors.ts';
import { DEFAULT_MAX_PAYLOAD_SIZE } from './chunks.ts';

export interface MeshConfig {
  readonly broker: string;
  readonly broker_port: number;
  readonly requests_exchange: string;
  readonly alerts_exchange: string;
  readonly heartbeat_routing_key: string;
  readonly max_payload_size: number;
  /** AMQP vhost (tspop addition; dripline meshes use '/'). */
  readonly vhost: string;
}

export const DEFAULT_MESH: MeshConfig = {
  broker: 'localhost',
  broker_port: 5672,
  requests_exchange: 'requests',
  alerts_exchange: 'alerts',
  heartbeat_routing_key: 'heartbeat',
  max_payload_size: DEFAULT_MAX_PAYLOAD_SIZE,
  vhost: '/',
};

const KEYS = new Set(['broker', 'broker_port', 'requests_exchange', 'alerts_exchange', 'heartbeat_routing_key', 'max_payload_size', 'vhost', 'max_connection_attempts']);

/** Checks a `dripline_mesh` block; `broker` may carry the port (`host:5673`). */
export function parseMesh(raw: unknown, where: string): Partial<MeshConfig> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new DriplineConfigError(`${where}: dripline_mesh must be a mapping`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!KEYS.has(k)) throw new DriplineConfigError(`${where}: dripline_mesh.${k} is not a mesh setting (${[...KEYS].join(', ')})`);
    if (k === 'max_connection_attempts') continue; // dripline-cpp's; the shared AMQP layer reconnects on its own
    if (k === 'broker_port' || k === 'max_payload_size') {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || (k === 'broker_port' && n > 65535)) throw new DriplineConfigError(`${where}: dripline_mesh.${k} must be a positive integer${k === 'broker_port' ? ' <= 65535' : ''}, got ${JSON.stringify(v)}`);
      out[k] = n;
    } else {
      if (typeof v !== 'string' || v === '') throw new DriplineConfigError(`${where}: dripline_mesh.${k} must be a non-empty string, got ${JSON.stringify(v)}`);
      out[k] = v;
    }
  }
  if (typeof out.broker === 'string') Object.assign(out, splitBroker(out.broker, where));
  return out as Partial<MeshConfig>;
}

/** `host`, `host:port` or `[v6]:port` to broker and broker_port. */
export function splitBroker(text: string, where: string): Partial<MeshConfig> {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new DriplineConfigError(`${where}: broker ${JSON.stringify(text)} is not host or host:port`);
  const host = (m[1] as string).replace(/^\[|\]$/g, '');
  if (m[2] === undefined) return { broker: host };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new DriplineConfigError(`${where}: broker port ${port} is out of range`);
  return { broker: host, broker_port: port };
}

/** ~/.dripline_mesh.yaml, when it exists (dripline-cpp's per-user mesh defaults). */
export function userMeshDefaults(home: string = process.env.HOME ?? homedir()): Partial<MeshConfig> {
  const file = join(home, '.dripline_mesh.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const raw = parse(text) as unknown;
  const mesh = raw && typeof raw === 'object' && 'dripline_mesh' in raw ? (raw as Record<string, unknown>).dripline_mesh : raw;
  return parseMesh(mesh, file);
}

export function resolveMesh(...layers: readonly Partial<MeshConfig>[]): MeshConfig {
  const out: Record<string, unknown> = { ...DEFAULT_MESH };
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  return out as unknown as MeshConfig;
}
