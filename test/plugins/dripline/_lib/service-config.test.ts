import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceConfig, parseServiceConfig } from '../../../../plugins/dripline/_lib/service-config.ts';
import { resolveMesh, userMeshDefaults } from '../../../../plugins/dripline/_lib/mesh.ts';
import { DriplineConfigError, DriplineConfigFileError, DriplineEnvError } from '../../../../plugins/dripline/_errors.ts';
import { TUTORIAL } from '../../../helpers/dripline.ts';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dripline-config-'));
  const file = join(dir, 'service.yaml');
  writeFileSync(file, text);
  return file;
}

describe('service configuration', () => {
  it('reads the tutorial: the service, its provider and the seed\'s four keys', () => {
    const c = loadServiceConfig(TUTORIAL);
    expect(c.name).toBe('my_store');
    expect(c.service.module).toBe('Service');
    expect(c.mesh).toEqual({ broker: 'localhost', broker_port: 5672 });
    const list = c.service.endpoints[0];
    expect(list?.name).toBe('my_price_list');
    expect(list?.endpoints.map((e) => [e.name, e.options.initial_value])).toEqual([['peaches', 0.75], ['chips', 1.75], ['waffles', 4], ['peaches_status', 'CLOSE']]);
  });

  it('reads the seed\'s older shape: nodename, broker and providers', () => {
    const c = parseServiceConfig({
      nodename: 'old_store', broker: 'rabbit.local:5673',
      providers: [{ name: 'kv', module: 'kv_store', endpoints: [{ name: 'foo', module: 'kv_store_key', initial_value: 1 }] }],
    });
    expect(c.name).toBe('old_store');
    expect(c.mesh).toEqual({ broker: 'rabbit.local', broker_port: 5673 });
    expect(c.service.endpoints[0]?.endpoints[0]?.name).toBe('foo');
  });

  it('unwraps dripline-python 4\'s runtime-config block', () => {
    expect(parseServiceConfig({ 'runtime-config': { name: 'wrapped', endpoints: [] } }).name).toBe('wrapped');
  });

  it('substitutes ENV{VAR} anywhere in a value; an unset variable names the key', () => {
    const env = { BROKER: 'mq.example', START: '3' };
    const c = parseServiceConfig({ name: 'e', dripline_mesh: { broker: 'ENV{BROKER}' }, endpoints: [{ name: 'x', module: 'kv_store', initial_value: 'n=ENV{START}' }] }, { env });
    expect(c.mesh.broker).toBe('mq.example');
    expect(c.service.endpoints[0]?.options.initial_value).toBe('n=3');
    expect(() => parseServiceConfig({ name: 'e', endpoints: [{ name: 'x', module: 'kv_store', initial_value: 'ENV{NOPE}' }] }, { env })).toThrow(DriplineEnvError);
    expect(() => parseServiceConfig({ name: 'e', endpoints: [{ name: 'x', module: 'kv_store', initial_value: 'ENV{NOPE}' }] }, { env })).toThrow(/endpoints\[0\]\.initial_value/);
  });

  it('resolves module_path and auth_file against the config file\'s folder', () => {
    const file = yamlFile('name: p\nauth_file: auths.json\nendpoints:\n  - name: c\n    module: counter\n    module_path: ./counter.ts\n');
    const c = loadServiceConfig(file);
    expect(c.service.endpoints[0]?.modulePath).toBe(join(file, '..', 'counter.ts'));
    expect(c.authFile).toBe(join(file, '..', 'auths.json'));
  });

  it('refuses what would break routing or hide a typo, naming the file and key', () => {
    const bad = (raw: unknown) => () => parseServiceConfig(raw, { file: 'svc.yaml' });
    expect(bad({ endpoints: [] })).toThrow(DriplineConfigError);
    expect(bad({ name: 'has.dot' })).toThrow(/binding key/);
    expect(bad({ name: 'broadcast' })).toThrow(/reserved/);
    expect(bad({ name: 's', endpoints: [{ name: 'a', module: 'kv_store' }, { name: 'a', module: 'kv_store' }] })).toThrow(/used twice/);
    expect(bad({ name: 's', endpoints: [{ name: 's', module: 'kv_store' }] })).toThrow(/used twice/);
    expect(bad({ name: 's', endpoints: [{ name: 'a' }] })).toThrow(/svc.yaml: endpoints\[0\] \(a\): module is required/);
    expect(bad({ name: 's', dripline_mesh: { broker_port: 70000 } })).toThrow(/broker_port/);
    expect(bad({ name: 's', dripline_mesh: { brokr: 'x' } })).toThrow(/dripline_mesh.brokr/);
    expect(bad({ name: 's', heartbeat_interval_s: -1 })).toThrow(/heartbeat_interval_s/);
    expect(bad({ name: 's', endpoints: { a: 1 } })).toThrow(/must be a list/);
  });

  it('a file that is missing or not YAML is TSPOP_ERR_DRIPLINE_CONFIG_FILE', () => {
    expect(() => loadServiceConfig('/nonexistent/service.yaml')).toThrow(DriplineConfigFileError);
    expect(() => loadServiceConfig(yamlFile('name: [unclosed'))).toThrow(DriplineConfigFileError);
  });

  it('layers mesh settings: defaults, ~/.dripline_mesh.yaml, the file, flags', () => {
    const home = mkdtempSync(join(tmpdir(), 'dripline-home-'));
    writeFileSync(join(home, '.dripline_mesh.yaml'), 'broker: mesh.host\nrequests_exchange: req2\n');
    const user = userMeshDefaults(home);
    const mesh = resolveMesh(user, { requests_exchange: 'req3' }, { broker_port: 5999 });
    expect(mesh).toMatchObject({ broker: 'mesh.host', broker_port: 5999, requests_exchange: 'req3', alerts_exchange: 'alerts', max_payload_size: 10000 });
    expect(userMeshDefaults(join(home, 'nobody'))).toEqual({});
  });
});
