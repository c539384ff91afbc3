/** Connection options shared by clients and monitors: mesh layers, credentials, connect timeout. */
import { readAuth, type BrokerAuth } from './auth.ts';
import { resolveMesh, splitBroker, userMeshDefaults, type MeshConfig } from './mesh.ts';

export interface ConnectOptions {
  /** `host` or `host:port` (dragonfly -b). */
  readonly broker?: string;
  readonly mesh?: Partial<MeshConfig>;
  readonly auth?: BrokerAuth;
  /** An auth file (JSON/YAML with a dripline or amqp group), when `auth` is not given. */
  readonly authFile?: string;
  /** Wait this long for the broker before failing with 101 (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Fail with 101 once this many connection attempts failed, before the timeout (a CLI: 3). */
  readonly connectAttempts?: number;
  /** Read ~/.dripline_mesh.yaml (default true). */
  readonly userMesh?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function resolveConnect(opts: ConnectOptions): { mesh: MeshConfig; auth: BrokerAuth } {
  const mesh = resolveMesh(opts.userMesh === false ? {} : userMeshDefaults(), opts.mesh ?? {}, opts.broker ? splitBroker(opts.broker, 'broker') : {});
  return { mesh, auth: opts.auth ?? readAuth(opts.authFile, opts.env) };
}
