/**
 * hub.dripline.service — run a dripline service from a YAML file (or the same structure as an object):
 *
 *   const svc = await hub.dripline.service.start('plugins/dripline/examples/kv_store_tutorial.yaml');
 *   ...
 *   await svc.stop();
 *
 * `build` gives the service without connecting (its `process(request)` answers requests directly).
 */
import type { Hub } from '../../src/index.ts';
import { DriplineConfigError } from './_errors.ts';
import { readAuth, type BrokerAuth } from './_lib/auth.ts';
import type { DriplineService } from './_lib/dripline-service.ts';
import type { MeshConfig } from './_lib/mesh.ts';
import type { MeshLink } from './_lib/mesh-link.ts';
import { buildService, runSetupCalls, type BuiltService, type ServeOptions } from './_lib/service-setup.ts';

export interface StartOptions extends ServeOptions {
  /** Credentials over the config's auth_file. */
  readonly auth?: BrokerAuth;
  /** How long to wait for the broker before failing with TSPOP_ERR_DRIPLINE_BROKER (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Fail with TSPOP_ERR_DRIPLINE_BROKER once this many connection attempts failed, before the timeout. */
  readonly connectAttempts?: number;
}

export interface RunningService {
  readonly name: string;
  readonly service: DriplineService;
  readonly mesh: MeshConfig;
  /** Stops consuming, finishes the request in hand, closes the connection. Idempotent. */
  stop(): Promise<void>;
}

export function build(hub: Hub, source: string | Readonly<Record<string, unknown>>, opts: ServeOptions = {}): Promise<BuiltService> {
  return buildService(hub, source, opts);
}

export async function start(hub: Hub, source: string | Readonly<Record<string, unknown>>, opts: StartOptions = {}): Promise<RunningService> {
  const built = await buildService(hub, source, opts);
  // two services of one name in one process would share a connection, so the broker would not refuse the second
  // exclusive queue: both would consume from it and each would get half the requests
  if (hub.dripline.init.running(`service ${built.config.name}`)) {
    throw new DriplineConfigError(`a service named ${built.config.name} is already running on this hub; service names are queue names and must be unique on a mesh`);
  }
  const auth = opts.auth ?? readAuth(built.config.authFile, opts.env);
  const link: MeshLink = hub.dripline.link.open(built.mesh, auth, `dripline/${built.config.name}`);
  let forget: () => void = () => undefined;
  let stopping: Promise<void> | undefined;
  const running: RunningService = {
    name: built.config.name,
    service: built.service,
    mesh: built.mesh,
    stop: () => (stopping ??= (async () => {
      forget();
      try {
        await built.service.stop();
      } finally {
        await link.close();
      }
    })()),
  };
  try {
    await link.whenConnected(opts.connectTimeoutMs ?? 10_000, opts.connectAttempts);
    await built.service.start(link);
    forget = hub.dripline.init.track({ name: `service ${running.name}`, stop: running.stop });
    await runSetupCalls(built);
  } catch (err) {
    await running.stop().catch(() => undefined);
    throw err;
  }
  return running;
}
