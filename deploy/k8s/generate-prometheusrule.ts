#!/usr/bin/env node
/*
 * Wraps every Prometheus rule file under alerts/ into one PrometheusRule for the Prometheus Operator,
 * so Kubernetes runs exactly the rules that `promtool test rules` checks.
 *   node --import tsx deploy/k8s/generate-prometheusrule.ts          write deploy/k8s/prometheusrule.yaml
 *   node --import tsx deploy/k8s/generate-prometheusrule.ts --check  exit 1 if it is not up to date
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isMap, isSeq, parseDocument } from 'yaml';

export interface RuleFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  groups: unknown[];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * The rule files under `alertsDir`: YAML files whose top level has `groups`. promtool test files
 * (`rule_files`/`tests`) and alertmanager.yml (`route`) have none and are left out.
 * Sorted by path so the output does not depend on the file system's order.
 */
export function findRuleFiles(alertsDir: string, repoRoot: string): RuleFile[] {
  const files: RuleFile[] = [];
  for (const path of yamlFiles(alertsDir).sort()) {
    const rel = relative(repoRoot, path).split(sep).join('/');
    const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
    if (doc.errors.length > 0) throw new Error(`${rel}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as unknown;
    if (typeof value !== 'object' || value === null || !('groups' in value)) continue;
    const groups = (value as { groups: unknown }).groups;
    if (!Array.isArray(groups)) throw new Error(`${rel}: groups is not a list`);
    files.push({ path: rel, groups });
  }
  return files;
}

/** One PrometheusRule holding every group of every rule file, each group preceded by the file it came from. */
export function renderPrometheusRule(files: readonly RuleFile[]): string {
  const seen = new Map<string, string>();
  const groups: unknown[] = [];
  const origins: string[] = [];
  for (const file of files) {
    for (const group of file.groups) {
      const name = (group as { name?: unknown }).name;
      if (typeof name !== 'string' || name === '') throw new Error(`${file.path}: a group has no name`);
      const first = seen.get(name);
      // The operator writes one rule file per PrometheusRule, and Prometheus refuses repeated group names in a file.
      if (first !== undefined) throw new Error(`${file.path}: group "${name}" is also defined in ${first}`);
      seen.set(name, file.path);
      groups.push(group);
      origins.push(file.path);
    }
  }

  const doc = new Document({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'gpufleet',
      namespace: 'gpufleet',
      labels: {
        'app.kubernetes.io/name': 'gpufleet',
        'app.kubernetes.io/component': 'rules',
        'app.kubernetes.io/part-of': 'gpufleet',
      },
    },
    spec: { groups },
  });
  doc.commentBefore = [
    ' Generated from alerts/ by deploy/k8s/generate-prometheusrule.ts: do not edit, run',
    '   node --import tsx deploy/k8s/generate-prometheusrule.ts',
    ' Your Prometheus selects PrometheusRules by label (ruleSelector): with kube-prometheus-stack, add',
    ' `release: <its release name>` under metadata.labels, or set ruleSelectorNilUsesHelmValues=false.',
  ].join('\n');
  const seq = doc.getIn(['spec', 'groups'], true);
  if (isSeq(seq)) {
    seq.items.forEach((item, i) => {
      if (isMap(item) && (i === 0 || origins[i] !== origins[i - 1])) item.commentBefore = ` from ${origins[i]}`;
    });
  }
  return doc.toString({ lineWidth: 0 });
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PROMETHEUS_RULE_PATH = join(repoRoot, 'deploy/k8s/prometheusrule.yaml');

export function currentPrometheusRule(): string {
  return renderPrometheusRule(findRuleFiles(join(repoRoot, 'alerts'), repoRoot));
}

function main(): number {
  const text = currentPrometheusRule();
  let existing = '';
  try {
    existing = readFileSync(PROMETHEUS_RULE_PATH, 'utf8');
  } catch {
    // not written yet
  }
  const rel = relative(repoRoot, PROMETHEUS_RULE_PATH);
  if (process.argv.includes('--check')) {
    if (existing === text) return 0;
    process.stderr.write(`${rel} is not up to date with alerts/: run node --import tsx deploy/k8s/generate-prometheusrule.ts\n`);
    return 1;
  }
  if (existing !== text) writeFileSync(PROMETHEUS_RULE_PATH, text);
  process.stdout.write(`${rel}: ${existing === text ? 'unchanged' : 'written'}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (err) {
    process.stderr.write(`generate-prometheusrule: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
