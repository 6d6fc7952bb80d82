import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { PROMETHEUS_RULE_PATH, currentPrometheusRule } from '../../deploy/k8s/generate-prometheusrule.js';
import { DEFAULT_PORT, exporterConfig, priceBook } from './support/exporter.js';
import { runPromtool, withTempDir } from './support/promtool.js';
import { repoPath } from './support/repo.js';

/*
 * deploy/k8s: the manifests parse and hang together (selectors, ports, mounts), the exporter accepts
 * the arguments they give it, the price book parses, and the PrometheusRule is alerts/ as it is now.
 */

const DIR = 'deploy/k8s';
const NAMESPACE = 'gpufleet';

// Loose shapes: the tests look at the few fields that must agree across manifests.
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: any };

const manifestFiles = readdirSync(repoPath(DIR)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests: Array<Manifest & { file: string }> = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(repoPath(DIR, file), 'utf8')).map((doc) => {
    assert.equal(doc.errors.length, 0, `${DIR}/${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return { ...(doc.toJS() as Manifest), file };
  }),
);

function find(kind: string, name: string): Manifest {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(m, `${kind}/${name}`);
  return m;
}

/** Container args with Kubernetes' $(VAR) expansion done from the container's env (fieldRefs get a sample value). */
function expandedArgs(container: any): string[] {
  const env = new Map<string, string>((container.env ?? []).map((e: any) => [e.name, e.value ?? `sample-${e.name.toLowerCase()}`]));
  return (container.args ?? []).map((a: string) => a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env.get(name) ?? whole));
}

function container(workload: Manifest, name: string): any {
  const c = workload.spec.template.spec.containers.find((x: any) => x.name === name);
  assert.ok(c, `${workload.kind}/${workload.metadata.name} container ${name}`);
  return c;
}

test('every manifest parses and names its kind; namespaced objects live in the gpufleet namespace', () => {
  assert.ok(manifests.length >= 8);
  for (const m of manifests) {
    assert.ok(m.apiVersion && m.kind && m.metadata?.name, `${m.file}: apiVersion, kind and metadata.name`);
    if (m.kind !== 'Namespace') assert.equal(m.metadata.namespace, NAMESPACE, `${m.file} ${m.kind}/${m.metadata.name}`);
  }
  find('Namespace', NAMESPACE);
});

test('kustomization.yaml lists every manifest, and kubectl kustomize renders it', (t) => {
  const kustomization = parse(readFileSync(repoPath(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  assert.deepEqual([...kustomization.resources].sort(), [...manifestFiles].sort());
  const kubectl = spawnSync('kubectl', ['kustomize', repoPath(DIR)], { encoding: 'utf8' });
  if (kubectl.error) {
    t.skip('kubectl is not installed');
    return;
  }
  assert.equal(kubectl.status, 0, kubectl.stderr);
  const kinds = parseAllDocuments(kubectl.stdout).map((d) => (d.toJS() as Manifest).kind);
  assert.equal(kinds.length, manifests.length);
});

test('the node DaemonSet runs the node role beside dcgm-exporter on GPU nodes', () => {
  const ds = find('DaemonSet', 'gpufleet-node');
  const pod = ds.spec.template.spec;
  assert.ok(Object.keys(pod.nodeSelector ?? {}).length > 0, 'nodeSelector for GPU nodes');
  assert.match(container(ds, 'dcgm-exporter').image, /^nvcr\.io\/nvidia\/k8s\/dcgm-exporter:\d+\.\d+\.\d+-4\.\d+\.\d+-/);

  const exporter = container(ds, 'exporter');
  const nodeName = exporter.env.find((e: any) => e.name === 'NODE_NAME');
  assert.equal(nodeName?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName', 'NODE_NAME from the downward API');
  const config = exporterConfig(expandedArgs(exporter));
  assert.deepEqual(config.roles, ['node']);
  assert.equal(config.node.name, 'sample-node_name', '--node-name $(NODE_NAME)');
  assert.equal(config.listen, `:${DEFAULT_PORT}`);

  // dcgm-exporter listens where the exporter reads it (the pod's loopback).
  const dcgmListen = container(ds, 'dcgm-exporter').env.find((e: any) => e.name === 'DCGM_EXPORTER_LISTEN')?.value;
  assert.equal(config.node.dcgmUrl, `http://${dcgmListen}/metrics`);

  // /proc of the host is mounted read-only where --diskstats reads.
  const procVolume = pod.volumes.find((v: any) => v.hostPath?.path === '/proc');
  assert.ok(procVolume, 'hostPath /proc');
  const procMount = exporter.volumeMounts.find((m: any) => m.name === procVolume.name);
  assert.ok(procMount?.readOnly, '/proc mounted read-only');
  assert.equal(config.node.diskstatsPath, `${procMount.mountPath}/diskstats`);
  assert.equal(exporter.ports[0].containerPort, DEFAULT_PORT);
});

test('the billing Deployment reads the price book of its ConfigMap, which the exporter accepts', () => {
  const deploy = find('Deployment', 'gpufleet-billing');
  const exporter = container(deploy, 'exporter');
  const config = exporterConfig(expandedArgs(exporter));
  assert.deepEqual(config.roles, ['billing']);
  assert.equal(config.listen, `:${DEFAULT_PORT}`);
  const mount = exporter.volumeMounts.find((m: any) => config.billing.priceBook?.startsWith(`${m.mountPath}/`));
  assert.ok(mount, `--price-book ${config.billing.priceBook} is on a mounted volume`);
  assert.equal(mount.subPath, undefined, 'mounted as a directory so ConfigMap edits reach the pod');
  const volume = deploy.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  const configMap = find('ConfigMap', volume.configMap.name);
  const key = config.billing.priceBook!.slice(mount.mountPath.length + 1);
  const text = configMap.data[key];
  assert.equal(typeof text, 'string', `ConfigMap ${configMap.metadata.name} has ${key}`);
  const book = priceBook(text, `${DIR}/billing.yaml (${key})`);
  assert.ok(book.namedNodes().length > 0, 'the example price book names nodes');
  assert.ok(book.references.length > 0, 'and reference offers');
});

test('Services select the pods and ServiceMonitors select the Services, by port name', () => {
  for (const name of ['gpufleet-node', 'gpufleet-billing']) {
    const service = find('Service', name);
    const monitor = find('ServiceMonitor', name);
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    const workload = manifests.find((m) => ['DaemonSet', 'Deployment'].includes(m.kind) && m.metadata.name === name)!;
    const podLabels = workload.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(service.spec.selector)) assert.equal(podLabels[k], v, `Service ${name} selects ${k}=${String(v)}`);
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(service.metadata.labels?.[k], v, `ServiceMonitor ${name} selects the Service`);
    const port = service.spec.ports[0];
    assert.equal(port.port, DEFAULT_PORT);
    const containerPorts = workload.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
    assert.ok(containerPorts.some((p: any) => p.name === port.targetPort), `targetPort ${port.targetPort} is a named container port`);
    for (const endpoint of monitor.spec.endpoints) {
      assert.equal(endpoint.port, port.name, 'ServiceMonitor endpoint names the Service port');
      const relabelings: any[] = endpoint.relabelings ?? [];
      assert.ok(relabelings.some((r) => r.targetLabel === 'cluster' && r.replacement), 'a cluster label for the recording rules');
      const drop = relabelings.find((r) => r.action === 'labeldrop');
      for (const label of ['namespace', 'pod']) assert.ok(drop && new RegExp(`^(?:${drop.regex})$`).test(label), `target label ${label} dropped`);
    }
    assert.match(name, /gpufleet/, 'job names (Service names) contain gpufleet');
  }
});

test('the PrometheusRule is up to date with alerts/ and promtool accepts its groups', () => {
  const committed = readFileSync(PROMETHEUS_RULE_PATH, 'utf8');
  assert.equal(committed, currentPrometheusRule(), 'run: node --import tsx deploy/k8s/generate-prometheusrule.ts');
  const rule = find('PrometheusRule', 'gpufleet');
  assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
  withTempDir((dir) => {
    const path = join(dir, 'rules.yml');
    writeFileSync(path, stringify({ groups: rule.spec.groups }, { lineWidth: 0 }));
    const { status, output } = runPromtool(['check', 'rules', path]);
    assert.equal(status, 0, output);
  });
});
