import { IDLE_SHARE_THRESHOLDS, dashboard, stat, table, timeseries, type Column, type PanelDraft } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, dashboardLinks, nodeDetailLink } from '../links.js';
import { overRange, pricedUseful } from '../promql.js';
import { UNIT } from '../units.js';
import { clusterVariable, datasourceVariable, match, nodeVariable, sel, teamVariable } from '../variables.js';

/*
 * For finance: what the selected period cost, what it bought in useful GPU-hours, per team, provider,
 * infrastructure and pricing model, and where renting a reference offer would have been cheaper.
 * Period totals integrate the per-hour rates over the range; hourly charts read the `_1h` recordings
 * so 30-day views stay cheap.
 */

const team = (metric: string) => sel(`team:${metric}`, match.cluster, match.team);
const fleet = (metric: string) => sel(`fleet:${metric}`, match.cluster);
const COST = team('gpufleet_cost:dollars_per_hour');
const USEFUL = team('gpufleet_useful_gpus:sum');
const GPUS = team('gpufleet_gpus:count');
const IDLE = team('gpufleet_idle_waste:dollars_per_hour');
const PRICED_USEFUL = pricedUseful('team', `${match.cluster}, ${match.team}`);

/** Cost, usefulness and size of the GPUs grouped by one price-book dimension. */
function levelTable(level: 'provider' | 'infra' | 'pricing', title: string, w: number): PanelDraft {
  const rec = (metric: string) => sel(`${level}:${metric}`, match.cluster);
  const columns: Column[] = [
    { expr: rec('gpufleet_cost_per_useful_gpu_hour:dollars'), column: 'Cost per useful GPU-hour', unit: UNIT.dollars, decimals: 2 },
    { expr: rec('gpufleet_useful:ratio'), column: 'Useful ratio', unit: UNIT.ratio, decimals: 1 },
    { expr: rec('gpufleet_cost:dollars_per_hour'), column: 'Cost rate ($/h)', unit: UNIT.dollars, decimals: 0 },
    { expr: rec('gpufleet_gpus:count'), column: 'GPUs', unit: UNIT.count, decimals: 0 },
  ];
  return table({
    title,
    description: `Now, per ${level} (all teams of the selected clusters): Σ cost rate ÷ Σ useful ratio of priced GPUs, Σ useful ratio ÷ GPUs, Σ cost rate ($/h), and GPUs reported.`,
    w,
    h: 7,
    sortBy: { column: 'Cost per useful GPU-hour', desc: true },
    columns,
  });
}

export function finance(): Dashboard {
  return dashboard({
    uid: UIDS.finance,
    title: 'GPU fleet / Finance',
    description: 'Spend, useful GPU-hours and the effective cost of a useful GPU-hour per team, provider, infrastructure and pricing model; break-even against reference offers',
    time: { from: 'now-30d', to: 'now' },
    refresh: '',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(true)],
    links: dashboardLinks([
      { route: APP_ROUTES.cost, title: 'Cost' },
      { route: APP_ROUTES.infra, title: 'Bare metal vs virtualised' },
    ]),
    rows: [
      {
        title: 'Selected period',
        panels: [
          stat({
            title: 'Spend',
            description: 'Dollars paid for the selected GPUs over the time range: their cost rate ($/h) integrated minute by minute. Minutes without data add nothing.',
            unit: UNIT.dollars,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: overRange(COST) }],
          }),
          stat({
            title: 'GPU-hours',
            description: 'GPU-hours of the GPUs the nodes reported over the time range (priced or not): the number of GPUs integrated minute by minute.',
            unit: UNIT.gpuHours,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: overRange(GPUS) }],
          }),
          stat({
            title: 'Useful GPU-hours',
            description: 'GPU-hours of useful work over the time range: Σ useful ratio integrated minute by minute.',
            unit: UNIT.gpuHours,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: overRange(USEFUL) }],
          }),
          stat({
            title: 'Cost per useful GPU-hour',
            description:
              'Spend ÷ useful GPU-hours of the priced GPUs over the time range: the effective price of one hour of useful GPU work.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 4,
            h: 4,
            queries: [{ expr: `${overRange(COST)} / ${overRange(PRICED_USEFUL)}` }],
          }),
          stat({
            title: 'Idle waste',
            description: 'Dollars paid over the time range for GPUs under the idle threshold for the minimum duration (allocated or not).',
            unit: UNIT.dollars,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: overRange(IDLE) }],
          }),
          stat({
            title: 'Idle share of spend',
            description: 'Idle waste ÷ spend over the time range.',
            unit: UNIT.ratio,
            decimals: 1,
            thresholds: IDLE_SHARE_THRESHOLDS,
            w: 4,
            h: 4,
            queries: [{ expr: `${overRange(IDLE)} / ${overRange(COST)}` }],
          }),
        ],
      },
      {
        title: 'Hour by hour (all teams)',
        panels: [
          timeseries({
            title: 'Hourly spend and idle waste',
            description: 'Dollars spent in the hour ending at each point (hourly average of the cost rate), and the idle part of it by kind. All teams of the selected clusters.',
            unit: UNIT.dollars,
            w: 8,
            h: 8,
            queries: [
              { expr: `sum(${fleet('gpufleet_cost:dollars_1h')})`, legend: 'spend' },
              { expr: `sum by (kind) (${fleet('gpufleet_idle_waste:dollars_1h')})`, legend: 'idle: {{kind}}' },
            ],
          }),
          timeseries({
            title: 'Paid and useful GPU-hours per hour',
            description: 'GPU-hours of priced GPUs and GPU-hours of useful work in the hour ending at each point. All teams of the selected clusters.',
            unit: UNIT.gpuHours,
            w: 8,
            h: 8,
            queries: [
              { expr: `sum(${fleet('gpufleet_paid_gpu_hours:sum_1h')})`, legend: 'paid' },
              { expr: `sum(${fleet('gpufleet_useful_gpu_hours:sum_1h')})`, legend: 'useful' },
            ],
          }),
          timeseries({
            title: 'Cost per useful GPU-hour, hourly',
            description: 'Dollars spent ÷ useful GPU-hours (all GPUs, priced or not) in the hour ending at each point, per cluster.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 8,
            h: 8,
            queries: [
              {
                expr: `sum by (cluster) (${fleet('gpufleet_cost:dollars_1h')}) / sum by (cluster) (${fleet('gpufleet_useful_gpu_hours:sum_1h')})`,
                legend: '{{cluster}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Teams',
        panels: [
          table({
            title: 'Teams over the period',
            description:
              'Per team over the time range: spend, useful GPU-hours, spend ÷ useful GPU-hours of priced GPUs, idle waste, and the useful ratio now (Σ useful ratio ÷ GPUs).',
            w: 24,
            h: 8,
            sortBy: { column: 'Spend', desc: true },
            columns: [
              { expr: overRange(COST, 'cluster, team'), column: 'Spend', unit: UNIT.dollars, decimals: 0 },
              { expr: overRange(USEFUL, 'cluster, team'), column: 'Useful GPU-hours', unit: UNIT.gpuHours, decimals: 0 },
              {
                expr: `${overRange(COST, 'cluster, team')} / ${overRange(PRICED_USEFUL, 'cluster, team')}`,
                column: 'Cost per useful GPU-hour',
                unit: UNIT.dollars,
                decimals: 2,
              },
              { expr: overRange(IDLE, 'cluster, team'), column: 'Idle waste', unit: UNIT.dollars, decimals: 0 },
              { expr: team('gpufleet_useful:ratio'), column: 'Useful ratio now', unit: UNIT.ratio, decimals: 1 },
            ],
          }),
        ],
      },
      {
        title: 'Providers, infrastructure and pricing',
        panels: [
          levelTable('provider', 'By provider', 8),
          levelTable('infra', 'By infrastructure', 8),
          levelTable('pricing', 'By pricing model', 8),
        ],
      },
      {
        title: 'Against reference offers',
        panels: [
          table({
            title: 'Fleet break-even by GPU model and offer',
            description:
              'Break-even: the fleet’s average $/GPU-hour for the model ÷ the offer’s $/GPU-hour, i.e. the useful ratio above which the fleet as it is beats renting the offer on demand (a rented GPU is paid only while used). Useful ratio now: Σ useful ratio ÷ GPUs of the model. Monthly saving: (useful GPUs × offer price − cost rate) × 730 h; negative means the offer would have been cheaper.',
            w: 24,
            h: 8,
            sortBy: { column: 'Monthly saving', desc: false },
            columns: [
              { expr: sel('fleet_offer:gpufleet_break_even:ratio', match.cluster), column: 'Break-even useful ratio', unit: UNIT.ratio, decimals: 1 },
              {
                // Copies the model's useful ratio onto each (model, offer) row so the table can merge it.
                expr: `${sel('fleet_offer:gpufleet_break_even:ratio', match.cluster)} * 0 + on (cluster, model) group_left () ${sel('model:gpufleet_useful:ratio', match.cluster)}`,
                column: 'Useful ratio now',
                unit: UNIT.ratio,
                decimals: 1,
              },
              {
                expr: `max by (cluster, model, offer) (${sel('gpufleet_reference_gpu_hourly_cost_dollars', match.cluster)})`,
                column: 'Offer $/GPU-hour',
                unit: UNIT.dollars,
                decimals: 2,
              },
              { expr: sel('fleet_offer:gpufleet_monthly_saving:dollars', match.cluster), column: 'Monthly saving', unit: UNIT.dollars, decimals: 0 },
            ],
          }),
          table({
            title: 'Nodes against reference offers',
            description:
              'Per node, against the cheapest reference offer for its GPU model (the offer column): break-even useful ratio (node $/GPU-hour ÷ offer $/GPU-hour) and monthly saving ((useful GPUs × offer price − node cost rate) × 730 h). Sorted with the nodes the offer would have beaten first.',
            w: 24,
            h: 9,
            sortBy: { column: 'Monthly saving', desc: false },
            columns: [
              {
                expr: sel('node_offer:gpufleet_break_even:ratio', match.cluster, match.nodes),
                column: 'Break-even useful ratio',
                unit: UNIT.ratio,
                decimals: 1,
              },
              {
                expr: sel('node_offer:gpufleet_monthly_saving:dollars', match.cluster, match.nodes),
                column: 'Monthly saving',
                unit: UNIT.dollars,
                decimals: 0,
              },
            ],
            fieldLinks: { node: [nodeDetailLink('row')] },
          }),
        ],
      },
      {
        title: 'Bare metal vs virtualised',
        panels: [
          table({
            title: 'Same GPU model by infrastructure',
            description:
              'Per GPU model and infrastructure (bare_metal, vm, cloud): median useful ratio over the GPUs, p95 over the GPUs of the 1 h standard deviation of the useful ratio (jitter), cost per useful GPU-hour and GPUs.',
            w: 14,
            h: 8,
            columns: [
              { expr: sel('model_infra:gpufleet_useful:median', match.cluster), column: 'Median useful ratio', unit: UNIT.ratio, decimals: 1 },
              { expr: sel('model_infra:gpufleet_useful_jitter:p95', match.cluster), column: 'Jitter p95', unit: UNIT.ratio, decimals: 1 },
              {
                expr: sel('model_infra:gpufleet_cost_per_useful_gpu_hour:dollars', match.cluster),
                column: 'Cost per useful GPU-hour',
                unit: UNIT.dollars,
                decimals: 2,
              },
              { expr: sel('model_infra:gpufleet_gpus:count', match.cluster), column: 'GPUs', unit: UNIT.count, decimals: 0 },
            ],
          }),
          timeseries({
            title: 'Median useful ratio by model and infrastructure',
            description: 'Median over the GPUs of each model and infrastructure of their useful ratio, over time.',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 10,
            h: 8,
            queries: [{ expr: sel('model_infra:gpufleet_useful:median', match.cluster), legend: '{{model}} · {{infra}}' }],
          }),
        ],
      },
    ],
  });
}
