import { IDLE_SHARE_THRESHOLDS, bargauge, dashboard, stat, table, timeseries } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, appNodeLink, dashboardLinks, nodeDetailLink } from '../links.js';
import { overRange } from '../promql.js';
import { UNIT } from '../units.js';
import { clusterVariable, datasourceVariable, match, nodeVariable, sel, teamVariable } from '../variables.js';

/*
 * Money paid for GPUs that do nothing: how much, whether anyone holds them (unallocated vs
 * allocated_idle), which teams and nodes. A GPU counts as idle once its useful ratio has stayed under
 * the threshold (default 10 %) for the minimum duration (default 15 min), as the recording rules decide.
 */

const IDLE_TEAM = sel('team:gpufleet_idle_waste:dollars_per_hour', match.cluster, match.team);
const COST_TEAM = sel('team:gpufleet_cost:dollars_per_hour', match.cluster, match.team);
const GPU = [match.cluster, match.team, match.nodes];
const IDLE_GPU = sel('gpu:gpufleet_idle_waste:dollars_per_hour', ...GPU);
const IDLE_NODE = sel('node:gpufleet_idle_waste:dollars_per_hour', ...GPU);

const WASTE_STEPS = [
  { color: 'green', value: null },
  { color: 'orange', value: 1 },
];

export function idleWaste(): Dashboard {
  return dashboard({
    uid: UIDS.idle,
    title: 'GPU fleet / Idle waste',
    description: 'Dollars paid for idle GPUs, unallocated or held by a workload that does nothing, by team, node and GPU',
    time: { from: 'now-7d', to: 'now' },
    refresh: '1m',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(true)],
    links: dashboardLinks([{ route: APP_ROUTES.idle, title: 'Idle waste' }]),
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Idle waste rate',
            description: 'Dollars per hour paid now for GPUs that stayed under the idle threshold for the minimum duration, in the selected clusters and teams.',
            unit: UNIT.dollars,
            decimals: 0,
            thresholds: WASTE_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${IDLE_TEAM})` }],
          }),
          stat({
            title: 'Unallocated',
            description: 'The part of the idle waste rate ($/h) on GPUs no workload holds: capacity nobody asked for.',
            unit: UNIT.dollars,
            decimals: 0,
            thresholds: WASTE_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${sel('team:gpufleet_idle_waste:dollars_per_hour', match.cluster, match.team, 'kind="unallocated"')})` }],
          }),
          stat({
            title: 'Allocated but idle',
            description: 'The part of the idle waste rate ($/h) on GPUs a workload holds without using them: reserved, not working.',
            unit: UNIT.dollars,
            decimals: 0,
            thresholds: WASTE_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${sel('team:gpufleet_idle_waste:dollars_per_hour', match.cluster, match.team, 'kind="allocated_idle"')})` }],
          }),
          stat({
            title: 'Idle share of spend',
            description: 'Idle waste rate ÷ cost rate of all paid GPUs of the selected clusters and teams, now.',
            unit: UNIT.ratio,
            decimals: 1,
            thresholds: IDLE_SHARE_THRESHOLDS,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${IDLE_TEAM}) / sum(${COST_TEAM})` }],
          }),
          stat({
            title: 'Idle GPUs',
            description: 'GPUs counted as idle now (useful ratio under the threshold for the minimum duration) on the selected nodes.',
            unit: UNIT.gpus,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: `count(${IDLE_GPU})` }],
          }),
          stat({
            title: 'Idle waste over the period',
            description: 'Dollars paid for idle GPUs over the time range: the idle waste rate integrated minute by minute.',
            unit: UNIT.dollars,
            decimals: 0,
            thresholds: WASTE_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: overRange(IDLE_TEAM) }],
          }),
        ],
      },
      {
        title: 'Over time',
        panels: [
          timeseries({
            title: 'Idle waste by kind',
            description: 'Idle waste rate ($/h) split into unallocated GPUs and GPUs allocated to an idle workload.',
            unit: UNIT.dollars,
            stack: true,
            w: 12,
            h: 8,
            queries: [{ expr: `sum by (kind) (${IDLE_TEAM})`, legend: '{{kind}}' }],
          }),
          timeseries({
            title: 'Paid, allocated and useful GPUs',
            description:
              'On the selected nodes: GPUs with a price, GPUs a workload holds, and Σ useful ratio (useful GPU-hours per hour). Paid minus allocated is unallocated capacity; allocated minus useful is held but unused.',
            unit: UNIT.gpus,
            w: 12,
            h: 8,
            queries: [
              { expr: `count(${sel('gpu:gpufleet_cost:dollars_per_hour', ...GPU)})`, legend: 'paid' },
              { expr: `sum(${sel('gpu:gpufleet_allocated:bool', ...GPU)})`, legend: 'allocated' },
              { expr: `sum(${sel('gpu:gpufleet_useful:ratio', ...GPU)})`, legend: 'useful (Σ useful ratio)' },
            ],
          }),
        ],
      },
      {
        title: 'Who',
        panels: [
          bargauge({
            title: 'Idle waste by team',
            description: 'Idle waste rate ($/h) of each team now, both kinds together.',
            unit: UNIT.dollars,
            decimals: 0,
            w: 8,
            h: 10,
            queries: [{ expr: `sort_desc(sum by (cluster, team) (${IDLE_TEAM}))`, legend: '{{team}} ({{cluster}})' }],
          }),
          table({
            title: 'Nodes wasting the most',
            description: 'The 20 nodes with the highest idle waste rate now ($/h, both kinds), with how many of their GPUs are idle. Click a node for its detail.',
            w: 16,
            h: 10,
            sortBy: { column: 'Idle waste ($/h)', desc: true },
            columns: [
              { expr: `topk(20, sum by (cluster, node, team) (${IDLE_NODE}))`, column: 'Idle waste ($/h)', unit: UNIT.dollars, decimals: 2 },
              {
                expr: `count by (cluster, node, team) (${IDLE_GPU}) and on (cluster, node) topk(20, sum by (cluster, node, team) (${IDLE_NODE}))`,
                column: 'Idle GPUs',
                unit: UNIT.count,
                decimals: 0,
              },
            ],
            fieldLinks: { node: [nodeDetailLink('row'), appNodeLink('row')] },
          }),
          table({
            title: 'Idle GPUs',
            description: 'Every GPU counted as idle now, with what it costs per hour and whether a workload holds it (kind). Click a node for its detail.',
            w: 24,
            h: 10,
            hide: ['uuid', 'provider', 'pricing'],
            sortBy: { column: 'Cost ($/h)', desc: true },
            columns: [{ expr: IDLE_GPU, column: 'Cost ($/h)', unit: UNIT.dollars, decimals: 2 }],
            fieldLinks: { node: [nodeDetailLink('row'), appNodeLink('row')] },
          }),
        ],
      },
    ],
  });
}
