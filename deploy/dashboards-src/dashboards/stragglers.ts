import { bargauge, dashboard, stat, table, timeseries } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, appNodeLink, dashboardLinks, nodeDetailLink } from '../links.js';
import { PROBLEM_COUNT_STEPS, UNIT } from '../units.js';
import { clusterVariable, datasourceVariable, match, nodeVariable, sel, teamVariable, workloadVariable } from '../variables.js';

/*
 * Which nodes drag a multi-node job down, by how much, and the likely cause. Workloads are keyed by
 * (cluster, namespace, workload); namespace is empty for HPC jobs. The team filter acts through the
 * node list (straggler series carry no team).
 */

const NODE_WORKLOAD = [match.cluster, match.workload, match.nodes];
const WORKLOAD = [match.cluster, match.workload];
const FLAG = sel('node_workload:gpufleet_straggler:flag', ...NODE_WORKLOAD);

/**
 * A per-node or per-workload number on the rows of the current stragglers, keeping the flag's labels
 * (cluster, namespace, workload, node, cause) so the table merges the columns into one row per straggler.
 * The flag is 1 while the node straggles, so the product is the number itself.
 */
function onStragglers(series: string, on: string): string {
  return `(${FLAG} == 1) * on (${on}) group_left () ${series}`;
}

export function stragglers(): Dashboard {
  return dashboard({
    uid: UIDS.stragglers,
    title: 'GPU fleet / Stragglers',
    description: 'Nodes whose SM activity lags the rest of their multi-node workload, the size of the lag and its likely cause',
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(true), workloadVariable()],
    links: dashboardLinks([{ route: APP_ROUTES.stragglers, title: 'Stragglers' }]),
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Stragglers',
            description:
              'Nodes flagged as stragglers now in the selected workloads: robust z-score ≥ 3.5 or ≥ 15 % below the fastest quartile, at least 0.05 below in absolute SM activity, for at least 5 min.',
            unit: UNIT.count,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 6,
            h: 4,
            queries: [{ expr: `sum(${sel('workload:gpufleet_stragglers:count', ...WORKLOAD)})` }],
          }),
          stat({
            title: 'Workloads watched',
            description: 'Workloads (HPC job, or pod owner) spanning 3 or more nodes, the ones whose nodes can be compared.',
            unit: UNIT.count,
            decimals: 0,
            w: 6,
            h: 4,
            queries: [{ expr: `count(${sel('workload:gpufleet_sm_active:median', ...WORKLOAD)})` }],
          }),
          stat({
            title: 'Worst straggler score',
            description: 'Highest robust z-score now among the selected nodes and workloads: 0.6745 × (workload median − node SM activity) ÷ MAD. 3.5 is the straggler line.',
            unit: UNIT.count,
            decimals: 1,
            thresholds: [
              { color: 'green', value: null },
              { color: 'red', value: 3.5 },
            ],
            w: 6,
            h: 4,
            queries: [{ expr: `max(${sel('node_workload:gpufleet_straggler:score', ...NODE_WORKLOAD)})` }],
          }),
          bargauge({
            title: 'Stragglers by likely cause',
            description:
              'Current stragglers by the cause read from the node’s own signals: thermal or power-brake throttling, hardware slowdown, XID errors, NVMe stalls, low PCIe/NVLink traffic, or unknown.',
            unit: UNIT.count,
            decimals: 0,
            w: 6,
            h: 4,
            queries: [{ expr: `sum by (cause) (${FLAG})`, legend: '{{cause}}' }],
          }),
          table({
            title: 'Current stragglers',
            description:
              'Each node flagged now, in its workload: its SM activity, the workload median and fastest-quartile edge (p75), and the robust z-score. Click a node for its detail (throttling, XIDs, NVMe).',
            w: 24,
            h: 8,
            sortBy: { column: 'Score', desc: true },
            columns: [
              { expr: onStragglers(sel('node_workload:gpufleet_straggler:score', ...NODE_WORKLOAD), 'cluster, namespace, workload, node'), column: 'Score', unit: UNIT.count, decimals: 1 },
              {
                expr: onStragglers(sel('node_workload:gpufleet_sm_active:ratio', ...NODE_WORKLOAD), 'cluster, namespace, workload, node'),
                column: 'Node SM activity',
                unit: UNIT.ratio,
                decimals: 1,
              },
              { expr: onStragglers(sel('workload:gpufleet_sm_active:median', ...WORKLOAD), 'cluster, namespace, workload'), column: 'Workload median', unit: UNIT.ratio, decimals: 1 },
              { expr: onStragglers(sel('workload:gpufleet_sm_active:p75', ...WORKLOAD), 'cluster, namespace, workload'), column: 'Fastest quartile edge', unit: UNIT.ratio, decimals: 1 },
            ],
            fieldLinks: { node: [nodeDetailLink('row'), appNodeLink('row')] },
          }),
        ],
      },
      {
        title: 'Over time',
        panels: [
          timeseries({
            title: 'Straggler score',
            description: 'Robust z-score of each node’s SM activity within its workload: 0.6745 × (median − node) ÷ MAD, with the MAD floored. The dashed line is the 3.5 straggler threshold.',
            unit: UNIT.count,
            thresholds: [
              { color: 'green', value: null },
              { color: 'red', value: 3.5 },
            ],
            thresholdLine: true,
            w: 12,
            h: 9,
            queries: [{ expr: sel('node_workload:gpufleet_straggler:score', ...NODE_WORKLOAD), legend: '{{workload}} · {{node}}' }],
            links: [nodeDetailLink('field')],
          }),
          timeseries({
            title: 'SM activity against the workload',
            description: 'Each node’s mean SM activity in its workload, with the workload median and the edge of its fastest quartile (p75).',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 12,
            h: 9,
            queries: [
              { expr: sel('node_workload:gpufleet_sm_active:ratio', ...NODE_WORKLOAD), legend: '{{workload}} · {{node}}' },
              { expr: sel('workload:gpufleet_sm_active:median', ...WORKLOAD), legend: '{{workload}} median' },
              { expr: sel('workload:gpufleet_sm_active:p75', ...WORKLOAD), legend: '{{workload}} p75' },
            ],
            overrides: [
              {
                matcher: { id: 'byFrameRefID', options: 'B' },
                properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.lineWidth', value: 2 }],
              },
              { matcher: { id: 'byFrameRefID', options: 'C' }, properties: [{ id: 'custom.lineStyle', value: { fill: 'dot' } }] },
            ],
          }),
          timeseries({
            title: 'Stragglers per workload',
            description: 'Number of nodes flagged as stragglers in each workload over time.',
            unit: UNIT.count,
            decimals: 0,
            w: 12,
            h: 7,
            queries: [{ expr: sel('workload:gpufleet_stragglers:count', ...WORKLOAD), legend: '{{workload}}' }],
          }),
          timeseries({
            title: 'Spread of SM activity (MAD)',
            description: 'Median absolute deviation of the nodes’ SM activity around the workload median: how tightly the workload’s nodes run together.',
            unit: UNIT.ratio,
            w: 12,
            h: 7,
            queries: [{ expr: sel('workload:gpufleet_sm_active:mad', ...WORKLOAD), legend: '{{workload}}' }],
          }),
        ],
      },
    ],
  });
}
