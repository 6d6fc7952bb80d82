import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { loadCompose, mountTarget } from './support/compose.js';
import { loadDashboards } from './support/dashboards.js';
import { repoPath } from './support/repo.js';

/*
 * deploy/grafana/provisioning: every file parses, and what it names exists — compose services and
 * their ports, the dashboards' mount, the plugin id and settings, the idle threshold of the rules.
 */

const DIR = 'deploy/grafana/provisioning';
const compose = loadCompose();
const grafana = compose.services.grafana!;
const PLUGIN_ID = (JSON.parse(readFileSync(repoPath('grafana-plugin/src/plugin.json'), 'utf8')) as { id: string }).id;

/** The app's own reader of its jsonData (loaded at run time: the plugin is typechecked by its own build). */
interface AppSettings {
  datasourceUid?: string;
  idleThreshold: number;
  currency: string;
  currencyPerDollar: number;
  referenceOffers: Array<{ offer: string; label: string }>;
}
const { readSettings } = (await import(pathToFileURL(repoPath('grafana-plugin/src/lib/settings.ts')).href)) as {
  readSettings(jsonData: unknown): AppSettings;
};

function load<T>(kind: string): Array<{ file: string; content: T }> {
  const dir = repoPath(DIR, kind);
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ file: `${DIR}/${kind}/${f}`, content: parse(readFileSync(join(dir, f), 'utf8')) as T }));
}

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
}

const datasources = load<{ apiVersion: number; datasources: Datasource[] }>('datasources').flatMap((f) => {
  assert.equal(f.content.apiVersion, 1, f.file);
  return f.content.datasources;
});

/** `http://<service>:<port>` must name a compose service that listens on that port. */
function assertServiceUrl(url: string, service: string, port: number): void {
  assert.equal(url, `http://${service}:${port}`);
  assert.ok(compose.services[service], `compose service ${service}`);
  assert.ok((compose.services[service]?.ports ?? []).some((p) => p.endsWith(`:${port}`)), `${service} listens on ${port}`);
}

test('the Prometheus data source has the uid the app and dashboards expect, and reaches the compose Prometheus', () => {
  const prom = datasources.find((d) => d.uid === 'gpufleet-prometheus');
  assert.ok(prom, 'data source gpufleet-prometheus');
  assert.equal(prom.type, 'prometheus');
  assert.equal(prom.isDefault, true, 'default, so the dashboards’ datasource variable starts on it');
  assertServiceUrl(prom.url, 'prometheus', 9090);
  const scrapeInterval = (parse(readFileSync(repoPath('deploy/prometheus/prometheus.yml'), 'utf8')) as { global: { scrape_interval: string } }).global.scrape_interval;
  assert.equal(prom.jsonData?.timeInterval, scrapeInterval, 'timeInterval is the scrape interval ($__rate_interval)');
  const am = datasources.find((d) => d.uid === prom.jsonData?.alertmanagerUid);
  assert.ok(am, `alertmanagerUid ${String(prom.jsonData?.alertmanagerUid)} is provisioned`);
  assert.equal(am.type, 'alertmanager');
  assertServiceUrl(am.url, 'alertmanager', 9093);
  assert.equal(new Set(datasources.map((d) => d.uid)).size, datasources.length, 'uids are unique');
});

test('the dashboards provider reads the directory compose mounts dashboards/ at', () => {
  const providers = load<{ apiVersion: number; providers: Array<{ type: string; options: { path: string } }> }>('dashboards').flatMap((f) => f.content.providers);
  assert.equal(providers.length, 1);
  assert.equal(providers[0]?.type, 'file');
  const target = mountTarget(grafana, './dashboards');
  assert.equal(providers[0]?.options.path, target);
  assert.ok(loadDashboards().length > 0, 'dashboards/ holds the dashboards');
});

test('the app plugin is enabled with settings the plugin accepts as they are', () => {
  const apps = load<{ apiVersion: number; apps: Array<{ type: string; disabled: boolean; jsonData: Record<string, unknown> }> }>('plugins').flatMap((f) => f.content.apps);
  const app = apps.find((a) => a.type === PLUGIN_ID);
  assert.ok(app, `app ${PLUGIN_ID} is provisioned`);
  assert.equal(app.disabled, false);
  // The plugin's own reader falls back to a default for anything it does not accept: nothing may fall back.
  const settings = readSettings(app.jsonData);
  assert.equal(settings.datasourceUid, app.jsonData.datasourceUid);
  assert.ok(datasources.some((d) => d.uid === settings.datasourceUid && d.type === 'prometheus'), 'datasourceUid is the provisioned Prometheus');
  for (const key of ['idleThreshold', 'currency', 'currencyPerDollar', 'referenceOffers'] as const) {
    assert.deepEqual(settings[key], app.jsonData[key], `${key} is accepted as provisioned`);
  }

  // The threshold the app shows is the one the recording rules use.
  const parameters = readFileSync(repoPath('alerts/rules/parameters.rules.yml'), 'utf8');
  const rule = /record: gpufleet:idle_threshold:ratio\s+expr: vector\(([0-9.]+)\)/.exec(parameters);
  assert.ok(rule, 'alerts/rules/parameters.rules.yml records gpufleet:idle_threshold:ratio');
  assert.equal(settings.idleThreshold, Number(rule[1]));

  // The offers the app compares against are the ones the compose exporter simulates.
  const scenario = parse(readFileSync(repoPath('exporter/scenarios/default.yaml'), 'utf8')) as { references: Array<{ offer: string }> };
  const simulated = new Set(scenario.references.map((r) => r.offer));
  for (const offer of settings.referenceOffers) assert.ok(simulated.has(offer.offer), `offer ${offer.offer} is in the default scenario`);
});

test('Grafana-managed alerts go to the compose Alertmanager', () => {
  const files = load<{
    apiVersion: number;
    contactPoints?: Array<{ name: string; receivers: Array<{ uid: string; type: string; settings: { url: string } }> }>;
    policies?: Array<{ receiver: string }>;
  }>('alerting');
  const contactPoints = files.flatMap((f) => f.content.contactPoints ?? []);
  const policies = files.flatMap((f) => f.content.policies ?? []);
  assert.ok(contactPoints.length > 0, 'a contact point');
  for (const cp of contactPoints) {
    for (const r of cp.receivers) {
      assert.equal(r.type, 'prometheus-alertmanager');
      assertServiceUrl(r.settings.url, 'alertmanager', 9093);
    }
  }
  for (const p of policies) assert.ok(contactPoints.some((cp) => cp.name === p.receiver), `policy receiver ${p.receiver} is a contact point`);
});

test('every provisioning file is apiVersion 1 YAML', () => {
  for (const kind of ['datasources', 'dashboards', 'plugins', 'alerting']) {
    for (const { file, content } of load<{ apiVersion: number }>(kind)) assert.equal(content.apiVersion, 1, file);
  }
});
