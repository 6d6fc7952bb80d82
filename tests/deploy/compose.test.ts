import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { interpolateDefaults, loadCompose, mounts, publishedPorts, type ComposeService } from './support/compose.js';
import { DEFAULT_PORT, exporterConfig, priceBook } from './support/exporter.js';
import { repoHas, repoPath } from './support/repo.js';

/*
 * docker-compose.yml cannot be run here (no Docker daemon), so it is checked against everything it
 * refers to: files in the repository, the exporter's flags and port, the plugin id, pinned images.
 */

const compose = loadCompose();
const services = compose.services;
const PLUGIN_ID = (JSON.parse(readFileSync(repoPath('grafana-plugin/src/plugin.json'), 'utf8')) as { id: string }).id;

/** Build outputs a bind mount may name: the source that produces them must be in the repository. */
const BUILD_OUTPUTS: Record<string, string> = { 'grafana-plugin/dist': 'grafana-plugin/src/plugin.json' };
/** Host paths the gpu profile reads, read-only. */
const HOST_PATHS = new Set(['/proc', '/sys']);

function service(name: string): ComposeService {
  const s = services[name];
  assert.ok(s, `service ${name}`);
  return s;
}

function command(name: string): string[] {
  const cmd = service(name).command;
  assert.ok(Array.isArray(cmd), `${name}: command is a list`);
  return cmd.map(interpolateDefaults);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

test('the stack has its services, with the gpu ones behind the gpu profile', () => {
  for (const name of ['grafana', 'prometheus', 'alertmanager', 'exporter']) assert.equal(service(name).profiles, undefined, `${name} runs by default`);
  for (const name of ['dcgm-exporter', 'exporter-node']) assert.deepEqual(service(name).profiles, ['gpu'], `${name} is in the gpu profile`);
});

test('images are pinned to release tags', () => {
  const expected: Record<string, RegExp> = {
    grafana: /^grafana\/grafana-oss:\d+\.\d+\.\d+$/,
    prometheus: /^prom\/prometheus:v\d+\.\d+\.\d+$/,
    alertmanager: /^prom\/alertmanager:v\d+\.\d+\.\d+$/,
    // <DCGM version>-<dcgm-exporter version 4.x>-<variant>
    'dcgm-exporter': /^nvcr\.io\/nvidia\/k8s\/dcgm-exporter:\d+\.\d+\.\d+-4\.\d+\.\d+-[a-z0-9.]+$/,
  };
  for (const [name, pattern] of Object.entries(expected)) assert.match(service(name).image ?? '', pattern, name);
});

test('the Grafana image satisfies the app plugin\'s grafanaDependency', () => {
  const pluginJson = JSON.parse(readFileSync(repoPath('grafana-plugin/src/plugin.json'), 'utf8')) as {
    dependencies: { grafanaDependency: string };
  };
  const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pluginJson.dependencies.grafanaDependency);
  assert.ok(minimum, `grafanaDependency ${pluginJson.dependencies.grafanaDependency} has the form >=x.y.z`);
  const tag = /:(\d+)\.(\d+)\.(\d+)$/.exec(service('grafana').image ?? '');
  assert.ok(tag, 'the grafana image has a version tag');
  const version = tag.slice(1).map(Number);
  const floor = minimum.slice(1).map(Number);
  const cmp = version[0]! - floor[0]! || version[1]! - floor[1]! || version[2]! - floor[2]!;
  assert.ok(cmp >= 0, `grafana ${tag.slice(1).join('.')} is older than the plugin needs (${pluginJson.dependencies.grafanaDependency})`);
});

test('Prometheus in compose is the 2.x line the rules are tested on', () => {
  // promtool tests and the end-to-end run use Debian's Prometheus 2.x; 3.x changed range-selector edges.
  assert.match(service('prometheus').image ?? '', /^prom\/prometheus:v2\./);
});

test('every bind-mounted file or directory exists in the repository', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const m of mounts(s)) {
      if (m.kind === 'volume') {
        assert.ok(compose.volumes && m.source in compose.volumes, `${name}: named volume ${m.source} is declared`);
        continue;
      }
      if (m.source.startsWith('/')) {
        assert.ok(HOST_PATHS.has(m.source), `${name}: host path ${m.source} is one the gpu profile needs`);
        assert.ok(m.readOnly, `${name}: host path ${m.source} is mounted read-only`);
        continue;
      }
      const rel = m.source.replace(/^\.\//, '');
      const producer = BUILD_OUTPUTS[rel];
      if (producer) assert.ok(repoHas(producer), `${name}: ${rel} is built from ${producer}, which is missing`);
      else assert.ok(repoHas(rel), `${name}: ${m.source} does not exist in the repository`);
      assert.ok(m.readOnly, `${name}: ${m.source} is mounted read-only`);
    }
  }
});

test('the exporter image builds from exporter/Dockerfile with the workspace lockfile', () => {
  for (const name of ['exporter', 'exporter-node']) {
    const build = service(name).build;
    assert.ok(build, `${name} is built`);
    assert.ok(existsSync(repoPath(build.context, build.dockerfile ?? 'Dockerfile')), `${name}: ${build.context}/${build.dockerfile}`);
    const workspace = build.additional_contexts?.workspace;
    assert.ok(workspace && repoHas(workspace, 'package.json') && repoHas(workspace, 'package-lock.json'), `${name}: workspace context holds the lockfile`);
  }
  const dockerfile = readFileSync(repoPath('exporter/Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:20-slim/m);
  assert.match(dockerfile, /npm ci --workspace exporter/);
  // The image copies exporter/scenarios to /app/exporter/scenarios, where the compose command points.
  assert.match(dockerfile, /^WORKDIR \/app$/m);
  assert.match(dockerfile, /^COPY scenarios exporter\/scenarios$/m);
  const scenario = flag(command('exporter'), '--scenario');
  assert.ok(scenario !== undefined && scenario.startsWith('/app/exporter/scenarios/'), `scenario ${scenario}`);
  assert.ok(repoHas('exporter', scenario.slice('/app/exporter/'.length)), `${scenario} comes from the repository`);
});

test('exporter commands are accepted by the exporter itself', () => {
  const simulate = exporterConfig(command('exporter'));
  assert.deepEqual(simulate.roles, ['simulate']);

  const node = exporterConfig(command('exporter-node'));
  assert.deepEqual(node.roles, ['node', 'billing']);
  assert.equal(node.node.dcgmUrl, 'http://dcgm-exporter:9400/metrics');
  assert.equal(node.node.diskstatsPath, '/host/proc/diskstats');
  const procMount = mounts(service('exporter-node')).find((m) => m.source === '/proc');
  assert.ok(procMount?.readOnly && node.node.diskstatsPath.startsWith(`${procMount.target}/`), '/proc is mounted read-only where --diskstats reads');

  // The price book the gpu profile mounts parses and prices the node the exporter names.
  const pbMount = mounts(service('exporter-node')).find((m) => m.target === node.billing.priceBook);
  assert.ok(pbMount, `--price-book ${node.billing.priceBook} is mounted`);
  const book = priceBook(readFileSync(repoPath(pbMount.source), 'utf8'), pbMount.source);
  assert.ok(book.namedNodes().includes(node.node.name), `${pbMount.source} prices node ${node.node.name}`);
});

test('ports: 3000, 9090, 9093 and the exporter default 9842, published on loopback', () => {
  const expected: Record<string, number> = { grafana: 3000, prometheus: 9090, alertmanager: 9093, exporter: DEFAULT_PORT };
  assert.equal(DEFAULT_PORT, 9842);
  for (const [name, port] of Object.entries(expected)) {
    assert.deepEqual(publishedPorts(service(name)), [{ hostIp: '127.0.0.1', hostPort: port, containerPort: port }], name);
  }
  for (const name of ['exporter', 'exporter-node']) {
    assert.equal(exporterConfig(command(name)).listen, `:${DEFAULT_PORT}`, `${name} listens on the default port`);
  }
});

test('health checks, restart policies and data volumes', () => {
  const probes: Record<string, string> = {
    exporter: `http://127.0.0.1:${DEFAULT_PORT}/readyz`,
    'exporter-node': `http://127.0.0.1:${DEFAULT_PORT}/readyz`,
    prometheus: 'http://127.0.0.1:9090/-/ready',
    alertmanager: 'http://127.0.0.1:9093/-/ready',
    grafana: 'http://127.0.0.1:3000/api/health',
  };
  for (const [name, url] of Object.entries(probes)) {
    assert.ok(service(name).healthcheck?.test.join(' ').includes(url), `${name} health check probes ${url}`);
  }
  for (const [name, s] of Object.entries(services)) assert.equal(s.restart, 'unless-stopped', `${name} restart policy`);
  for (const [name, target] of [
    ['prometheus', '/prometheus'],
    ['grafana', '/var/lib/grafana'],
  ] as const) {
    const m = mounts(service(name)).find((x) => x.target === target);
    assert.equal(m?.kind, 'volume', `${name} keeps ${target} in a named volume`);
  }
});

test('Grafana loads the unsigned app plugin from grafana-plugin/dist and the provisioning of deploy/grafana', () => {
  const grafana = service('grafana');
  assert.equal(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, PLUGIN_ID);
  const byTarget = new Map(mounts(grafana).map((m) => [m.target, m.source]));
  assert.equal(byTarget.get(`/var/lib/grafana/plugins/${PLUGIN_ID}`), './grafana-plugin/dist');
  assert.equal(byTarget.get('/etc/grafana/provisioning'), './deploy/grafana/provisioning');
  assert.equal(byTarget.get('/var/lib/grafana/dashboards'), './dashboards');
  const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
  assert.ok(home.startsWith('/var/lib/grafana/dashboards/') && repoHas('dashboards', home.slice('/var/lib/grafana/dashboards/'.length)), `home dashboard ${home}`);
});

test('Prometheus gets the config of deploy/prometheus and the rules of alerts/; Alertmanager gets alerts/alertmanager.yml', () => {
  const byTarget = new Map(mounts(service('prometheus')).map((m) => [m.target, m.source]));
  assert.equal(byTarget.get('/etc/prometheus/prometheus.yml'), './deploy/prometheus/prometheus.yml');
  assert.equal(byTarget.get('/etc/prometheus/rules'), './alerts');
  assert.ok(command('prometheus').includes('--config.file=/etc/prometheus/prometheus.yml'));
  const am = new Map(mounts(service('alertmanager')).map((m) => [m.target, m.source]));
  assert.equal(am.get('/etc/alertmanager/alertmanager.yml'), './alerts/alertmanager.yml');
  assert.ok(command('alertmanager').includes('--config.file=/etc/alertmanager/alertmanager.yml'));
  assert.ok(parse(readFileSync(repoPath('alerts/alertmanager.yml'), 'utf8')).route, 'alerts/alertmanager.yml has a route');
});

test('the gpu profile reserves the GPUs for dcgm-exporter', () => {
  const dcgm = service('dcgm-exporter');
  const devices = dcgm.deploy?.resources?.reservations?.devices ?? [];
  assert.ok(devices.some((d) => d.driver === 'nvidia' && d.capabilities?.includes('gpu')), 'nvidia GPU reservation');
  assert.ok(dcgm.cap_add?.includes('SYS_ADMIN'), 'SYS_ADMIN for profiling fields');
  assert.ok(service('exporter-node').depends_on?.['dcgm-exporter'], 'exporter-node starts after dcgm-exporter');
});
