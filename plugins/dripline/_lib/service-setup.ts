/**
 * From a service YAML (or object) to a built, not yet connected DriplineService: config checked, mesh
 * resolved, value store opened, endpoint modules resolved and created.
 */
import type { Hub } from '../../../src/types.ts';
import { DriplineConfigError } from '../_errors.ts';
import { buildEndpoints } from './build-endpoints.ts';
import { DriplineService } from './dripline-service.ts';
import { resolveMesh, splitBroker, userMeshDefaults, type MeshConfig } from './mesh.ts';
import { loadServiceConfig, parseServiceConfig, type ServiceConfig } from './service-config.ts';
import type { ValueStore } from './value-store.ts';
import { kvValueStore } from './kv-value-store.ts';

export interface ServeOptions {
  /** `host` or `host:port`, over the config's dripline_mesh (dragonfly -b). */
  readonly broker?: string;
  /** Mesh settings over the config's (dl-serve's --requests-exchange, --max-payload ...). */
  readonly mesh?: Partial<MeshConfig>;
  /** Extra binding keys for the service queue (dragonfly serve -k). */
  readonly keys?: readonly string[];
  /** Keeps endpoint values across restarts; default: the config's `kv:` store, else none. */
  readonly store?: ValueStore;
  /** Environment for ENV{VAR} and credentials (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Seconds between heartbeats, over the config's heartbeat_interval_s. */
  readonly heartbeatIntervalS?: number;
  /** Read ~/.dripline_mesh.yaml for mesh defaults, as dripline-cpp does (default true). */
  readonly userMesh?: boolean;
}

export interface BuiltService {
  readonly config: ServiceConfig;
  readonly mesh: MeshConfig;
  readonly service: DriplineService;
}

export async function buildService(hub: Hub, source: string | Readonly<Record<string, unknown>>, opts: ServeOptions = {}): Promise<BuiltService> {
  const config = typeof source === 'string' ? loadServiceConfig(source, { env: opts.env }) : parseServiceConfig(source, { env: opts.env, baseDir: hub.root });
  const mesh = resolveMesh(opts.userMesh === false ? {} : userMeshDefaults(), config.mesh, opts.mesh ?? {}, opts.broker ? splitBroker(opts.broker, 'broker') : {});
  const store = opts.store ?? (config.kv ? await kvValueStore(hub, config.kv, config.file ?? config.name) : undefined);
  // endpoints get the service's alert before the service exists: the call is looked up when an alert is sent
  const late: { service?: DriplineService } = {};
  const endpoints = await buildEndpoints(hub, config.service, {
    service: config.name,
    log: hub.log,
    store,
    alert: (routingKey, payload) => (late.service as DriplineService).alert(routingKey, payload),
  });
  const service = new DriplineService({
    name: config.name,
    endpoints,
    mesh,
    heartbeatIntervalS: opts.heartbeatIntervalS ?? config.heartbeatIntervalS,
    extraKeys: opts.keys,
    enableScheduling: config.enableScheduling,
    log: hub.log,
  });
  late.service = service;
  return { config, mesh, service };
}

/** The seed's setup_calls, sent by the service to itself once it runs; a failing call fails the start. */
export async function runSetupCalls(built: BuiltService): Promise<void> {
  for (const call of built.config.setupCalls) {
    const spec = typeof call.kwargs.routing_key_specifier === 'string' ? call.kwargs.routing_key_specifier : '';
    const [operation, specifier, payload] =
      call.method === 'on_get' ? [1, spec, undefined] :
      call.method === 'on_set' ? [0, spec, { values: call.args }] :
      [9, call.method, { values: call.args, ...call.kwargs }];
    const reply = await built.service.process({
      type: 'request', routingKey: call.target, correlationId: '', messageId: '', replyTo: '', specifier, timestamp: '',
      senderInfo: { exe: 'setup_calls', hostname: '', username: '', service_name: built.config.name, versions: {} },
      payload, operation, lockoutKey: '',
    });
    if (reply.returnCode !== 0) throw new DriplineConfigError(`${call.where}: ${call.method} on ${call.target} failed with ${reply.returnCode}: ${reply.returnMessage}`);
  }
}
