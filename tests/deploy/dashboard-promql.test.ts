import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDashboards, panelQueries, parseLabelValues, queryVariables, substituteVariables } from './support/dashboards.js';
import { invalidExpressions, type NamedExpression } from './support/promtool.js';

/*
 * Every PromQL expression of every dashboard (panel queries and the selectors of variable queries)
 * parses with Prometheus's own parser (promtool). Grafana variables are replaced by values of the
 * right shape first: regexes for template variables, durations for $__range and friends.
 */

const GRAFANA_BUILTINS: Record<string, string> = {
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __rate_interval: '2m',
  __interval: '1m',
  __interval_ms: '60000',
};

function valuesFor(variableNames: string[]): Record<string, string> {
  const values: Record<string, string> = { ...GRAFANA_BUILTINS };
  // `.*` fits both `x=~"$v"` and `x="$v"` matchers, which is all the dashboards use variables for.
  for (const name of variableNames) values[name] = '.*';
  return values;
}

test('every dashboard expression is valid PromQL (promtool check rules)', () => {
  const items: NamedExpression[] = [];
  for (const file of loadDashboards()) {
    const values = valuesFor(file.dashboard.templating.list.map((v) => v.name));
    for (const q of panelQueries(file)) {
      items.push({ where: `${file.file} panel ${q.panelId} "${q.panelTitle}" ${q.refId}`, expr: substituteVariables(q.expr, values) });
    }
    for (const v of queryVariables(file.dashboard)) {
      const parsed = parseLabelValues(v.query.query);
      assert.ok(parsed, `${file.file} variable ${v.name}: not a label_values query`);
      items.push({ where: `${file.file} variable ${v.name}`, expr: substituteVariables(parsed.selector, values) });
    }
  }
  assert.ok(items.length > 100, `expected the dashboards' expressions, found ${items.length}`);
  const problems = invalidExpressions(items);
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the promtool check catches a broken expression (guards the check itself)', () => {
  const problems = invalidExpressions([
    { where: 'good', expr: 'sum by (cluster) (fleet:gpufleet_gpus:count{cluster=~".*"})' },
    { where: 'bad', expr: 'sum(rate(gpufleet_nvme_read_bytes_total[5m])' },
  ]);
  assert.equal(problems.length, 1);
  assert.match(problems[0] as string, /^bad: /);
});
