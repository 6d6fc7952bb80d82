import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { parse, stringify } from 'yaml';
import { findRuleFiles } from '../../deploy/k8s/generate-prometheusrule.js';
import { loadCompose, mountTarget } from './support/compose.js';
import { DEFAULT_PORT, scenarioCluster } from './support/exporter.js';
import { runPromtool, withTempDir } from './support/promtool.js';
import { REPO_ROOT, repoPath } from './support/repo.js';

/*
 * deploy/prometheus/prometheus.yml: valid for promtool with the rules it loads in the container,
 * and consistent with the compose services and the exporter it scrapes.
 */

interface ScrapeConfig {
  job_name: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  http_sd_configs?: Array<{ url: string }>;
  dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
  relabel_configs?: Array<{ source_labels?: string[]; target_label?: string; regex?: string; replacement?: string }>;
}

interface PrometheusConfig {
  global: { scrape_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  scrape_configs: ScrapeConfig[];
}

const CONFIG_FILE = 'deploy/prometheus/prometheus.yml';
const config = parse(readFileSync(repoPath(CONFIG_FILE), 'utf8')) as PrometheusConfig;
const compose = loadCompose();
/** Where compose mounts alerts/ inside the Prometheus container. */
const rulesMount = mountTarget(compose.services.prometheus!, './alerts');

function job(name: string): ScrapeConfig {
  const found = config.scrape_configs.find((j) => j.job_name === name);
  assert.ok(found, `scrape job ${name}`);
  return found;
}

test('promtool check config passes, loading the rules of alerts/ from where compose mounts them', () => {
  assert.ok(rulesMount, 'compose mounts ./alerts into prometheus');
  // The config names container paths; point them at the repository for promtool.
  const local = {
    ...config,
    rule_files: config.rule_files.map((f) => (f.startsWith(`${rulesMount}/`) ? join(repoPath('alerts'), f.slice(rulesMount.length + 1)) : f)),
  };
  withTempDir((dir) => {
    const path = join(dir, 'prometheus.yml');
    writeFileSync(path, stringify(local));
    const { status, output } = runPromtool(['check', 'config', path]);
    assert.equal(status, 0, output);
    const ruleFileCount = findRuleFiles(repoPath('alerts'), REPO_ROOT).length;
    assert.match(output, new RegExp(`SUCCESS: ${ruleFileCount} rule files found`), output);
  });
});

test('rule_files load every rule file of alerts/ and nothing else', () => {
  const matchers = config.rule_files.map((glob) => {
    assert.ok(rulesMount && glob.startsWith(`${rulesMount}/`), `${glob} is under the alerts mount ${rulesMount}`);
    return picomatch(glob.slice(rulesMount.length + 1));
  });
  const ruleFiles = findRuleFiles(repoPath('alerts'), REPO_ROOT).map((f) => f.path.slice('alerts/'.length));
  assert.ok(ruleFiles.length > 0);
  for (const file of ruleFiles) assert.ok(matchers.some((m) => m(file)), `alerts/${file} is not loaded by ${CONFIG_FILE}`);
  for (const other of ['alertmanager.yml', 'tests/cost.test.yml']) assert.ok(!matchers.some((m) => m(other)), `${other} is not a rule file`);
});

test('scrape jobs reach the exporter on its default port, with the cluster label the rules join on', () => {
  const billing = job('gpufleet-billing');
  assert.deepEqual(billing.static_configs?.[0]?.targets, [`exporter:${DEFAULT_PORT}`]);
  // Billing series join GPU series on (cluster, node): the billing target's cluster must be the simulated fleet's.
  assert.equal(billing.static_configs?.[0]?.labels?.cluster, scenarioCluster('default'));

  const node = job('gpufleet-node');
  assert.equal(node.http_sd_configs?.[0]?.url, `http://exporter:${DEFAULT_PORT}/sd`);
  const instance = node.relabel_configs?.find((r) => r.target_label === 'instance');
  assert.ok(instance !== undefined && instance.source_labels?.includes('__metrics_path__'), 'simulated node targets get an instance of their own');
  // Prometheus anchors relabel regexes; `$1` means the same in JavaScript replacements.
  assert.equal('/nodes/gpu-07/metrics'.replace(new RegExp(`^(?:${instance.regex})$`), instance.replacement ?? '$1'), 'gpu-07');

  const gpu = job('gpufleet-node-gpu');
  assert.deepEqual(gpu.dns_sd_configs?.[0]?.names, ['exporter-node']);
  assert.equal(gpu.dns_sd_configs?.[0]?.port, DEFAULT_PORT);
  assert.ok(compose.services['exporter-node']?.profiles?.includes('gpu'), 'the DNS name is the gpu-profile service');
  assert.ok(gpu.relabel_configs?.some((r) => r.target_label === 'cluster' && r.replacement), 'the gpu node gets a cluster label');

  // The Health dashboard and GpufleetExporterDown recognise exporter jobs by name.
  for (const j of config.scrape_configs.filter((x) => x.job_name !== 'prometheus')) assert.match(j.job_name, /gpufleet/);
});

test('alerts go to the compose Alertmanager', () => {
  assert.deepEqual(config.alerting.alertmanagers[0]?.static_configs[0]?.targets, ['alertmanager:9093']);
  assert.ok(compose.services.alertmanager, 'compose has the alertmanager service');
});
