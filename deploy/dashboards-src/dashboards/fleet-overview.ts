import { bargauge, dashboard, stat, table, timeseries } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, appNodeLink, dashboardLinks, nodeDetailLink } from '../links.js';
import { pricedUseful, ratioOfSums } from '../promql.js';
import { PROBLEM_COUNT_STEPS, UNIT, USEFUL_RATIO_STEPS } from '../units.js';
import { clusterVariable, datasourceVariable, match, nodeVariable, sel, teamVariable } from '../variables.js';

/*
 * The fleet at a glance: what a useful GPU-hour costs, how much of the paid time does work, where
 * idle money goes. Team-level recordings carry both filters, and summed over all teams they are the fleet.
 */

const byTeam = (metric: string) => sel(`team:${metric}`, match.cluster, match.team);
const COST = byTeam('gpufleet_cost:dollars_per_hour');
const USEFUL = byTeam('gpufleet_useful_gpus:sum');
const GPUS = byTeam('gpufleet_gpus:count');
const IDLE = byTeam('gpufleet_idle_waste:dollars_per_hour');
const PRICED_USEFUL = pricedUseful('team', `${match.cluster}, ${match.team}`);
const byNode = (metric: string) => sel(`node:${metric}`, match.cluster, match.team, match.nodes);

export function fleetOverview(): Dashboard {
  return dashboard({
    uid: UIDS.overview,
    title: 'GPU fleet / Overview',
    description: 'Cost per useful GPU-hour, useful ratio, idle waste and stragglers across the fleet',
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(true)],
    links: dashboardLinks([{ route: APP_ROUTES.overview, title: 'Overview' }]),
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Cost per useful GPU-hour',
            description:
              'What one hour of useful GPU work costs now: Σ cost rate of the priced GPUs ($/h) ÷ Σ their useful ratio, over the selected clusters and teams. The gap to the list price per GPU-hour is what idle and underused GPUs add.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 4,
            h: 4,
            queries: [{ expr: ratioOfSums(COST, PRICED_USEFUL) }],
          }),
          stat({
            title: 'Useful ratio',
            description:
              'Share of the GPUs’ time doing useful work now: Σ useful ratio ÷ number of GPUs. The useful ratio of a GPU is its SM activity (or graphics engine activity, or utilisation when that is all it reports).',
            unit: UNIT.ratio,
            decimals: 1,
            thresholds: USEFUL_RATIO_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: ratioOfSums(USEFUL, GPUS) }],
          }),
          stat({
            title: 'Spend rate',
            description: 'Dollars per hour the selected GPUs cost now: Σ of each priced GPU’s effective $/GPU-hour.',
            unit: UNIT.dollars,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${COST})` }],
          }),
          stat({
            title: 'GPUs',
            description: 'Physical GPUs the nodes report now (MIG instances count once), priced or not.',
            unit: UNIT.gpus,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${GPUS})` }],
          }),
          stat({
            title: 'Idle waste rate',
            description:
              'Dollars per hour paid for GPUs whose useful ratio stayed under the idle threshold (default 10 %) for the minimum duration (default 15 min), allocated to a workload or not.',
            unit: UNIT.dollars,
            decimals: 0,
            thresholds: [
              { color: 'green', value: null },
              { color: 'orange', value: 1 },
            ],
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${IDLE})` }],
          }),
          stat({
            title: 'Stragglers',
            description:
              'Nodes currently flagged as stragglers in a multi-node workload (robust z-score of SM activity against the workload median, persisting at least 5 min). All teams of the selected clusters.',
            unit: UNIT.count,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 4,
            h: 4,
            queries: [{ expr: `sum(${sel('fleet:gpufleet_stragglers:count', match.cluster)})` }],
          }),
        ],
      },
      {
        title: 'Trends',
        panels: [
          timeseries({
            title: 'Cost per useful GPU-hour by cluster',
            description: 'Σ cost rate ($/h) ÷ Σ useful ratio of the priced GPUs of each cluster (selected teams) over time.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 12,
            h: 8,
            queries: [{ expr: ratioOfSums(COST, PRICED_USEFUL, 'cluster'), legend: '{{cluster}}' }],
          }),
          timeseries({
            title: 'GPUs and useful GPUs',
            description:
              'GPUs reported (GPU-hours per hour) and Σ useful ratio (useful GPU-hours per hour). The area between the lines is GPU time that did no useful work.',
            unit: UNIT.gpus,
            w: 12,
            h: 8,
            queries: [
              { expr: `sum(${GPUS})`, legend: 'GPUs' },
              { expr: `sum(${USEFUL})`, legend: 'useful GPUs (Σ useful ratio)' },
            ],
          }),
          timeseries({
            title: 'Idle waste by kind',
            description:
              'Dollars per hour paid for idle GPUs, split into unallocated (no workload holds the GPU) and allocated_idle (a workload holds it and does nothing).',
            unit: UNIT.dollars,
            stack: true,
            w: 12,
            h: 8,
            queries: [{ expr: `sum by (kind) (${IDLE})`, legend: '{{kind}}' }],
          }),
          timeseries({
            title: 'Useful ratio by team',
            description: 'Σ useful ratio ÷ GPUs of each team (team:gpufleet_useful:ratio).',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 12,
            h: 8,
            queries: [{ expr: byTeam('gpufleet_useful:ratio'), legend: '{{team}} ({{cluster}})' }],
          }),
        ],
      },
      {
        title: 'Where the money goes',
        panels: [
          bargauge({
            title: 'Cost per useful GPU-hour by team',
            description: 'Σ cost rate ÷ Σ useful ratio of each team’s priced GPUs now. A high bar is a team paying for GPU time it does not use.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 8,
            h: 9,
            queries: [{ expr: `sort_desc(${byTeam('gpufleet_cost_per_useful_gpu_hour:dollars')})`, legend: '{{team}} ({{cluster}})' }],
          }),
          bargauge({
            title: 'Cost per useful GPU-hour by provider',
            description: 'Σ cost rate ÷ Σ useful ratio of the priced GPUs of each provider now (all teams of the selected clusters).',
            unit: UNIT.dollars,
            decimals: 2,
            w: 8,
            h: 9,
            queries: [
              { expr: `sort_desc(${sel('provider:gpufleet_cost_per_useful_gpu_hour:dollars', match.cluster)})`, legend: '{{provider}} ({{cluster}})' },
            ],
          }),
          bargauge({
            title: 'Cost per useful GPU-hour by GPU model',
            description: 'Σ cost rate ÷ Σ useful ratio of the priced GPUs of each model now (all teams of the selected clusters).',
            unit: UNIT.dollars,
            decimals: 2,
            w: 8,
            h: 9,
            queries: [{ expr: `sort_desc(${sel('model:gpufleet_cost_per_useful_gpu_hour:dollars', match.cluster)})`, legend: '{{model}} ({{cluster}})' }],
          }),
          table({
            title: 'Least useful nodes',
            description:
              'The 10 nodes with the lowest useful ratio now (Σ useful ratio ÷ GPUs), with their cost rate and cost per useful GPU-hour (empty when the node does no useful work or has no price). Click a node for its detail.',
            w: 24,
            h: 9,
            hide: ['provider', 'pricing'],
            sortBy: { column: 'Useful ratio', desc: false },
            columns: [
              { expr: `bottomk(10, ${byNode('gpufleet_useful:ratio')})`, column: 'Useful ratio', unit: UNIT.ratio, decimals: 1 },
              {
                expr: `${byNode('gpufleet_cost:dollars_per_hour')} and on (cluster, node) bottomk(10, ${byNode('gpufleet_useful:ratio')})`,
                column: 'Cost rate ($/h)',
                unit: UNIT.dollars,
                decimals: 2,
              },
              {
                expr: `${byNode('gpufleet_cost_per_useful_gpu_hour:dollars')} and on (cluster, node) bottomk(10, ${byNode('gpufleet_useful:ratio')})`,
                column: 'Cost per useful GPU-hour',
                unit: UNIT.dollars,
                decimals: 2,
              },
            ],
            fieldLinks: { node: [nodeDetailLink('row'), appNodeLink('row')] },
          }),
        ],
      },
    ],
  });
}
