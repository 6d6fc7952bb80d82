import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../harness/stack.js';
import { findRuleFiles } from '../../deploy/k8s/generate-prometheusrule.js';
import type { QueryVariable } from '../../deploy/dashboards-src/grafana.js';
import { loadDashboards, panelQueries, parseLabelValues, queryVariables, substituteVariables, type DashboardFile, type PanelQuery } from './support/dashboards.js';
import { repoPath } from './support/repo.js';

/*
 * Every panel query of every dashboard, run against a real Prometheus that evaluates the rules of
 * alerts/ over the simulated e2e fleet, returns at least one series. Variables are resolved the way
 * Grafana resolves them: each variable's label_values query runs first and its values feed the next.
 *
 * Some numbers need history before they exist (idle waste looks back 15 min, stragglers 5 min, the
 * e2e XID appears 2 min after the start), so the queries are polled until each has returned data
 * once, or the deadline passes. By default the rules are alerts/fast-rules.sh's copy, time compressed
 * 60 times (same series, same expressions); GPUFLEET_DASHBOARD_QUERIES_RULES=production loads
 * alerts/ as it is and takes about 16 minutes. GPUFLEET_DASHBOARD_QUERIES_TIMEOUT_S sets the deadline.
 */

const PRODUCTION_RULES = process.env.GPUFLEET_DASHBOARD_QUERIES_RULES === 'production';
const DEADLINE_S = Number(process.env.GPUFLEET_DASHBOARD_QUERIES_TIMEOUT_S ?? (PRODUCTION_RULES ? 1200 : 400));
const POLL_MS = 5_000;

/** The time-compressed copy of the rules, in a temporary directory; undefined for the production rules. */
function fastRules(dir: string): string[] | undefined {
  if (PRODUCTION_RULES) return undefined;
  const result = spawnSync('bash', [repoPath('alerts/fast-rules.sh'), dir], { encoding: 'utf8' });
  assert.equal(result.status, 0, `alerts/fast-rules.sh failed: ${result.stderr}`);
  return findRuleFiles(dir, dir).map((f) => join(dir, f.path));
}

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let startedAt = 0;

const rulesDir = mkdtempSync(join(tmpdir(), 'gpufleet-fast-rules-'));

before(async () => {
  stack = await startStack({ scenario: 'e2e', ruleFiles: fastRules(rulesDir) });
  startedAt = Date.now();
});

after(async () => {
  await stack?.stop();
  rmSync(rulesDir, { recursive: true, force: true });
});

interface PromResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown[] } | string[];
}

/** Queries go by POST (long All regexes); label values only answer GET. */
async function prom(path: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<PromResponse> {
  const form = new URLSearchParams(params);
  const res =
    method === 'POST' ? await fetch(`${stack!.promUrl}${path}`, { method, body: form }) : await fetch(`${stack!.promUrl}${path}?${form.toString()}`);
  const text = await res.text();
  let json: PromResponse;
  try {
    json = JSON.parse(text) as PromResponse;
  } catch {
    throw new Error(`${path} ${JSON.stringify(params)}: HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  if (json.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${json.error ?? res.status}`);
  return json;
}

/** A regex matching exactly these values, as Grafana builds the All value of a multi-value variable. */
function allOf(values: string[]): string {
  const escaped = values.map((v) => v.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').replace(/\\/g, '\\\\'));
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join('|')})`;
}

/** Grafana's interval variables, sized to the stack's short life (1 s scrape and evaluation interval). */
function builtins(): Record<string, string> {
  const ageS = Math.max(60, Math.floor((Date.now() - startedAt) / 1000));
  return { __range: `${ageS}s`, __range_s: String(ageS), __range_ms: String(ageS * 1000), __rate_interval: '1m', __interval: '15s', __interval_ms: '15000' };
}

/**
 * Resolves the dashboard's query variables in order. Multi-value variables take their All value;
 * single-value ones (the Node detail's node) yield one candidate set per value. A string says which
 * variable offers no value (yet: right after start the billing labels may not have joined).
 */
async function variableChoices(file: DashboardFile): Promise<Array<Record<string, string>> | string> {
  let choices: Array<Record<string, string>> = [{ ...builtins(), datasource: 'gpufleet-prometheus' }];
  for (const v of queryVariables(file.dashboard) as QueryVariable[]) {
    const parsed = parseLabelValues(v.query.query);
    assert.ok(parsed, `${file.file} variable ${v.name}: not a label_values query`);
    const next: Array<Record<string, string>> = [];
    for (const values of choices) {
      const selector = substituteVariables(parsed.selector, values);
      const res = await prom(`/api/v1/label/${parsed.label}/values`, { 'match[]': selector, start: String(startedAt / 1000 - 60) }, 'GET');
      const found = (res.data as string[]).filter((x) => x !== '');
      if (found.length === 0) continue;
      if (v.multi) next.push({ ...values, [v.name]: v.allValue ?? allOf(found) });
      else for (const value of found) next.push({ ...values, [v.name]: value });
    }
    if (next.length === 0) return `${file.file}: variable ${v.name} offers no value (${v.query.query})`;
    choices = next;
  }
  return choices;
}

/**
 * True when the query returns a series at some point of the stack's life. Instant panels are
 * evaluated over that range too, so a number that exists only for a while (an XID inside its
 * 10-minute window) is caught whenever the poll comes.
 */
async function returnsSeries(q: PanelQuery, values: Record<string, string>): Promise<boolean> {
  const expr = substituteVariables(q.expr, values);
  const endS = Date.now() / 1000;
  const startS = startedAt / 1000;
  const step = Math.max(5, Math.ceil((endS - startS) / 250));
  const res = await prom('/api/v1/query_range', { query: expr, start: String(startS), end: String(endS), step: String(step) });
  return (res.data as { result: unknown[] }).result.length > 0;
}

test('every dashboard panel query returns data from the simulated fleet', { timeout: (DEADLINE_S + 300) * 1000 }, async () => {
  // The first evaluation of the recording rules must have happened before variables can resolve.
  const deadline = startedAt + DEADLINE_S * 1000;
  while ((await prom('/api/v1/query', { query: 'fleet:gpufleet_gpus:count' }).then((r) => (r.data as { result: unknown[] }).result.length)) === 0) {
    assert.ok(Date.now() < deadline, 'fleet:gpufleet_gpus:count never appeared: are the alerts/ rules loaded?');
    await new Promise((r) => setTimeout(r, 1000));
  }

  const pending = new Map<string, { file: DashboardFile; query: PanelQuery }>();
  for (const file of loadDashboards()) {
    for (const query of panelQueries(file)) pending.set(`${file.file} panel ${query.panelId} "${query.panelTitle}" ${query.refId}`, { file, query });
  }
  const total = pending.size;
  assert.ok(total > 100, `expected the dashboards' queries, found ${total}`);

  const variableProblems = new Map<string, string>();
  for (;;) {
    const choicesByFile = new Map<string, Array<Record<string, string>> | string>();
    for (const [key, { file, query }] of pending) {
      let choices = choicesByFile.get(file.file);
      if (!choices) {
        choices = await variableChoices(file);
        choicesByFile.set(file.file, choices);
      }
      if (typeof choices === 'string') {
        variableProblems.set(file.file, choices);
        continue;
      }
      variableProblems.delete(file.file);
      for (const values of choices) {
        if (await returnsSeries(query, values)) {
          pending.delete(key);
          break;
        }
      }
    }
    if (pending.size === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }

  assert.deepEqual([...variableProblems.values()], [], 'every variable offers a value');
  const empty = [...pending.entries()].map(([key, { query }]) => `${key}\n    ${query.expr}`);
  assert.deepEqual(empty, [], `${empty.length} of ${total} queries returned no series within ${DEADLINE_S} s:\n${empty.join('\n')}`);
});
