/**
 * A service's YAML, read once and checked: the v3 shape dl-serve takes (`name`, `module`, `module_path`,
 * `endpoints`, `dripline_mesh`, `auth_file`, `heartbeat_interval_s`) and the seed's older one (`nodename`,
 * `broker`, `providers: [{ name, module, endpoints }]`), also wrapped in dripline-python 4's `runtime-config:`.
 * `ENV{VAR}` is substituted in every value. tspop adds `kv:` (a hub.kv store that keeps endpoint values).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { DriplineConfigError, DriplineConfigFileError } from '../_errors.ts';
import type { EndpointConfig } from './endpoint-types.ts';
import { substituteEnv } from './env-substitute.ts';
import { parseMesh, splitBroker, type MeshConfig } from './mesh.ts';

export interface ServiceConfig {
  readonly name: string;
  /** The service's own endpoint block (module default `service`); its `endpoints` are the service's endpoints. */
  readonly service: EndpointConfig;
  readonly mesh: Partial<MeshConfig>;
  readonly authFile: string | undefined;
  /** Seconds between heartbeat alerts; 0 disables them (dripline-cpp's default is 60). */
  readonly heartbeatIntervalS: number;
  /** Options for hub.kv.init.open(), when endpoint values should survive restarts. */
  readonly kv: Readonly<Record<string, unknown>> | undefined;
  /** Start entities' scheduled logging with the service (dl-serve's enable_scheduling, default true). */
  readonly enableScheduling: boolean;
  /** The seed's setup_calls: requests the service sends itself once it is consuming. */
  readonly setupCalls: readonly SetupCall[];
  /** The file it was read from (undefined for an object). */
  readonly file: string | undefined;
}

/** `{ target, method, args, kwargs }`: on_get, on_set (kwargs.routing_key_specifier: an attribute) or a command. */
export interface SetupCall {
  readonly target: string;
  readonly method: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly where: string;
}

const TOP_KEYS = new Set([
  'name', 'nodename', 'module', 'module_path', 'endpoints', 'providers', 'dripline_mesh', 'broker', 'auth_file',
  'heartbeat_interval_s', 'kv', 'enable_scheduling', 'setup_calls',
  // dl-serve's listener tuning: the shared AMQP layer pushes messages, there is no loop to tune
  'loop_timeout_ms', 'message_wait_ms',
]);
const BLOCK_KEYS = new Set(['name', 'module', 'module_path', 'endpoints']);
const NAME = /^[A-Za-z0-9_-]+$/;

export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function loadServiceConfig(file: string, opts: LoadConfigOptions = {}): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DriplineConfigFileError(`cannot read service config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new DriplineConfigFileError(`${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return parseServiceConfig(raw, { ...opts, file });
}

export function parseServiceConfig(input: unknown, opts: LoadConfigOptions & { file?: string; baseDir?: string } = {}): ServiceConfig {
  const where = opts.file ?? 'service config';
  const baseDir = opts.baseDir ?? (opts.file ? dirname(resolve(opts.file)) : process.cwd());
  let raw = input;
  if (isMap(raw) && isMap(raw['runtime-config']) && Object.keys(raw).length === 1) raw = raw['runtime-config'];
  if (!isMap(raw)) throw new DriplineConfigError(`${where}: a service config must be a mapping with name and endpoints`);
  const top = substituteEnv(raw, where, opts.env ?? process.env) as Record<string, unknown>;

  const name = top.name ?? top.nodename;
  checkName(name, where, 'name');
  const mesh = { ...(top.broker !== undefined ? brokerOf(top.broker, where) : {}), ...parseMesh(top.dripline_mesh, where) };
  const heartbeat = top.heartbeat_interval_s ?? 60;
  if (typeof heartbeat !== 'number' || !Number.isFinite(heartbeat) || heartbeat < 0) throw new DriplineConfigError(`${where}: heartbeat_interval_s must be seconds >= 0 (0 disables heartbeats), got ${JSON.stringify(heartbeat)}`);
  if (top.auth_file !== undefined && (typeof top.auth_file !== 'string' || top.auth_file === '')) throw new DriplineConfigError(`${where}: auth_file must be a path`);
  if (top.kv !== undefined && !isMap(top.kv)) throw new DriplineConfigError(`${where}: kv must be a mapping of hub.kv options (backend, kvPrefix, ...)`);
  const scheduling = top.enable_scheduling ?? true;
  if (typeof scheduling !== 'boolean') throw new DriplineConfigError(`${where}: enable_scheduling must be true or false`);

  const children = [
    ...blocks(top.endpoints, `${where}: endpoints`, baseDir),
    ...blocks(top.providers, `${where}: providers`, baseDir),
  ];
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(top)) if (!TOP_KEYS.has(k)) options[k] = v;
  const service: EndpointConfig = {
    name,
    module: moduleOf(top.module, `${where}: module`) ?? 'service',
    modulePath: pathOf(top.module_path, `${where}: module_path`, baseDir),
    options,
    endpoints: children,
    where: `${where}: service ${name}`,
  };
  checkUnique(service, where);
  return {
    name,
    service,
    mesh,
    authFile: typeof top.auth_file === 'string' ? (isAbsolute(top.auth_file) ? top.auth_file : resolve(baseDir, top.auth_file)) : undefined,
    heartbeatIntervalS: heartbeat,
    kv: top.kv as Record<string, unknown> | undefined,
    enableScheduling: scheduling,
    setupCalls: setupCalls(top.setup_calls, `${where}: setup_calls`),
    file: opts.file,
  };
}

function setupCalls(list: unknown, where: string): SetupCall[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new DriplineConfigError(`${where} must be a list of { target, method, args, kwargs }`);
  return list.map((c, i) => {
    const at = `${where}[${i}]`;
    if (!isMap(c) || typeof c.target !== 'string' || typeof c.method !== 'string') throw new DriplineConfigError(`${at} needs target and method (strings)`);
    if (c.kwargs !== undefined && !isMap(c.kwargs)) throw new DriplineConfigError(`${at}: kwargs must be a mapping`);
    const args = c.args === undefined ? [] : Array.isArray(c.args) ? c.args : [c.args];
    return { target: c.target, method: c.method, args, kwargs: (c.kwargs ?? {}) as Record<string, unknown>, where: at };
  });
}

function blocks(list: unknown, where: string, baseDir: string): EndpointConfig[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new DriplineConfigError(`${where} must be a list of endpoint blocks`);
  return list.map((item, i) => block(item, `${where}[${i}]`, baseDir));
}

function block(item: unknown, where: string, baseDir: string): EndpointConfig {
  if (!isMap(item)) throw new DriplineConfigError(`${where} must be a mapping with name and module`);
  checkName(item.name, where, 'name');
  const at = `${where} (${item.name})`;
  const module = moduleOf(item.module, `${at}: module`);
  if (module === undefined) throw new DriplineConfigError(`${at}: module is required (e.g. kv_store)`);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!BLOCK_KEYS.has(k)) options[k] = v;
  return {
    name: item.name,
    module,
    modulePath: pathOf(item.module_path, `${at}: module_path`, baseDir),
    options,
    endpoints: blocks(item.endpoints, `${at}: endpoints`, baseDir),
    where: at,
  };
}

function checkName(name: unknown, where: string, key: string): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new DriplineConfigError(`${where}: ${key} is required (a non-empty string)`);
  // the name is the first token of routing keys: '.', '#' and '*' would change what it binds
  if (!NAME.test(name)) throw new DriplineConfigError(`${where}: ${key} ${JSON.stringify(name)} may hold only letters, digits, '_' and '-' (it is an AMQP binding key)`);
  if (name === 'broadcast') throw new DriplineConfigError(`${where}: ${key} "broadcast" is reserved for broadcast requests`);
}

function moduleOf(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new DriplineConfigError(`${where} must be a module name`);
  return value;
}

function pathOf(value: unknown, where: string, baseDir: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new DriplineConfigError(`${where} must be a file path`);
  return isAbsolute(value) ? value : resolve(baseDir, value);
}

function brokerOf(value: unknown, where: string): Partial<MeshConfig> {
  if (typeof value !== 'string' || value === '') throw new DriplineConfigError(`${where}: broker must be a host name`);
  return splitBroker(value, where);
}

function checkUnique(service: EndpointConfig, where: string): void {
  const seen = new Map<string, string>();
  const visit = (b: EndpointConfig) => {
    const prev = seen.get(b.name);
    if (prev) throw new DriplineConfigError(`${where}: the name ${b.name} is used twice (${prev} and ${b.where}); names are routing keys and must be unique`);
    seen.set(b.name, b.where);
    b.endpoints.forEach(visit);
  };
  visit(service);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
