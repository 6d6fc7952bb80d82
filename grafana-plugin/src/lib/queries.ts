/**
 * The queries behind each page, as named PromQL strings. Instant queries are evaluated at the end of
 * the page range; `range` entries are range queries over the whole page range.
 */
import { GPUFLEET_ALERT_NAMES } from '../constants';
import { averageOverRange, duration, firstSample, integrate, regexAlternation, Scope, selector, series, sumBy } from './promql';

export interface QuerySet {
  instant: Record<string, string>;
  range: Record<string, string>;
}

export type CostDimension = 'team' | 'provider' | 'pricing' | 'infra' | 'model';

export const COST_DIMENSIONS: Array<{ value: CostDimension; label: string }> = [
  { value: 'team', label: 'Team' },
  { value: 'provider', label: 'Provider' },
  { value: 'pricing', label: 'Contract' },
  { value: 'infra', label: 'Infra' },
  { value: 'model', label: 'GPU model' },
];

export function isCostDimension(value: string | null): value is CostDimension {
  return COST_DIMENSIONS.some((d) => d.value === value);
}

export function overviewQueries(scope: Scope, rangeSeconds: number): QuerySet {
  return {
    instant: {
      spendRate: sumBy('fleet:gpufleet_cost:dollars_per_hour', scope, []),
      spendOverRange: integrate('fleet:gpufleet_cost:dollars_per_hour', scope, rangeSeconds),
      usefulGpuHours: integrate('fleet:gpufleet_useful_gpus:sum', scope, rangeSeconds),
      paidGpuHours: integrate('fleet:gpufleet_gpus:count', scope, rangeSeconds),
      usefulNow: sumBy('fleet:gpufleet_useful_gpus:sum', scope, []),
      gpusNow: sumBy('fleet:gpufleet_gpus:count', scope, []),
      breakEven: series('fleet_offer:gpufleet_break_even:ratio', scope),
      monthlySaving: series('fleet_offer:gpufleet_monthly_saving:dollars', scope),
      offerPrice: `max by (model, offer) (${series('gpufleet_reference_gpu_hourly_cost_dollars', scope)})`,
      modelUseful: series('model:gpufleet_useful:ratio', scope),
      modelCostPerUseful: series('model:gpufleet_cost_per_useful_gpu_hour:dollars', scope),
      idleRate: sumBy('fleet:gpufleet_idle_waste:dollars_per_hour', scope, ['kind']),
      idleOverRange: integrate('fleet:gpufleet_idle_waste:dollars_per_hour', scope, rangeSeconds, ['kind']),
      topNodes: `topk(10, ${sumBy('node:gpufleet_idle_waste:dollars_per_hour', scope, ['cluster', 'node'])} > 0)`,
      topTeams: `topk(10, ${sumBy('team:gpufleet_idle_waste:dollars_per_hour', scope, ['team'])} > 0)`,
      stragglers: sumBy('fleet:gpufleet_stragglers:count', scope, []),
      alerts: `ALERTS${selector(scope, { alertstate: 'firing' }).replace(/}$/, `,alertname=~"${regexAlternation(GPUFLEET_ALERT_NAMES)}"}`)}`,
    },
    range: {
      usefulTrend: `${sumBy('fleet:gpufleet_useful_gpus:sum', scope, [])} / ${sumBy('fleet:gpufleet_gpus:count', scope, [])}`,
    },
  };
}

export function costQueries(scope: Scope, dimension: CostDimension, rangeSeconds: number, monthToDateSeconds: number): QuerySet {
  const by = [dimension];
  const metric = (name: string) => `${dimension}:${name}`;
  const mtd = Math.max(60, monthToDateSeconds);
  return {
    instant: {
      costNow: sumBy(metric('gpufleet_cost:dollars_per_hour'), scope, by),
      gpusNow: sumBy(metric('gpufleet_gpus:count'), scope, by),
      cost: integrate(metric('gpufleet_cost:dollars_per_hour'), scope, rangeSeconds, by),
      paidHours: integrate(metric('gpufleet_gpus:count'), scope, rangeSeconds, by),
      usefulHours: integrate(metric('gpufleet_useful_gpus:sum'), scope, rangeSeconds, by),
      monthToDate: integrate(metric('gpufleet_cost:dollars_per_hour'), scope, mtd, by),
      fleetMonthToDate: integrate('fleet:gpufleet_cost:dollars_per_hour', scope, mtd),
      // When the fleet's cost data begins this month, so a young fleet's month to date says from when.
      fleetFirstSample: firstSample('fleet:gpufleet_cost:dollars_per_hour', scope, mtd),
      fleetCostNow: sumBy('fleet:gpufleet_cost:dollars_per_hour', scope, []),
    },
    range: {},
  };
}

export function idleWasteQueries(scope: Scope, rangeSeconds: number, idleThreshold: number): QuerySet {
  const workload = `topk by (cluster, node, uuid) (1, ${series('gpufleet_gpu_workload_info', scope)})`;
  return {
    instant: {
      rateByKind: sumBy('fleet:gpufleet_idle_waste:dollars_per_hour', scope, ['kind']),
      ruleThreshold: 'max(gpufleet:idle_threshold:ratio)',
      overRangeByKind: integrate('fleet:gpufleet_idle_waste:dollars_per_hour', scope, rangeSeconds, ['kind']),
      fleetCost: sumBy('fleet:gpufleet_cost:dollars_per_hour', scope, []),
      byNode: sumBy('node:gpufleet_idle_waste:dollars_per_hour', scope, ['cluster', 'node', 'kind']),
      byNodeOverRange: integrate('node:gpufleet_idle_waste:dollars_per_hour', scope, rangeSeconds, ['cluster', 'node']),
      byTeam: sumBy('team:gpufleet_idle_waste:dollars_per_hour', scope, ['team', 'kind']),
      byGpu: series('gpu:gpufleet_idle_waste:dollars_per_hour', scope),
      gpuUseful: `${series('gpu:gpufleet_useful:ratio', scope)} < ${idleThreshold}`,
      byWorkload:
        `sum by (namespace, pod, hpc_job) (${series('gpu:gpufleet_idle_waste:dollars_per_hour', scope, { kind: 'allocated_idle' })}` +
        ` * on (cluster, node, uuid) group_left (namespace, pod, hpc_job) ${workload})`,
    },
    range: {},
  };
}

export function stragglerListQueries(scope: Scope): QuerySet {
  return {
    instant: {
      medians: series('workload:gpufleet_sm_active:median', scope),
      counts: series('workload:gpufleet_stragglers:count', scope),
      fleetCount: sumBy('fleet:gpufleet_stragglers:count', scope, []),
    },
    range: {},
  };
}

export function stragglerWorkloadQueries(scope: Scope, workload: string): QuerySet {
  const labels = { workload };
  return {
    instant: {
      scores: series('node_workload:gpufleet_straggler:score', scope, labels),
      flags: `${series('node_workload:gpufleet_straggler:flag', scope, labels)} == 1`,
      smActive: series('node_workload:gpufleet_sm_active:ratio', scope, labels),
    },
    range: {
      smActive: series('node_workload:gpufleet_sm_active:ratio', scope, labels),
      median: series('workload:gpufleet_sm_active:median', scope, labels),
      mad: series('workload:gpufleet_sm_active:mad', scope, labels),
    },
  };
}

export function nodeQueries(scope: Scope, node: string, rangeSeconds: number): QuerySet {
  const n = { node };
  return {
    instant: {
      nodeInfo: series('node:gpufleet_cost:dollars_per_hour', scope, n),
      costPerUseful: series('node:gpufleet_cost_per_useful_gpu_hour:dollars', scope, n),
      useful: series('node:gpufleet_useful:ratio', scope, n),
      gpus: series('node:gpufleet_gpus:count', scope, n),
      costOverRange: integrate('node:gpufleet_cost:dollars_per_hour', scope, rangeSeconds, [], n),
      idle: sumBy('node:gpufleet_idle_waste:dollars_per_hour', scope, ['kind'], n),
      gpuInfo: series('gpufleet_gpu_info', scope, n),
      gpuUseful: series('gpu:gpufleet_useful:ratio', scope, n),
      memoryUsed: sumBy('gpufleet_gpu_memory_used_bytes', scope, ['uuid'], n),
      memoryFree: sumBy('gpufleet_gpu_memory_free_bytes', scope, ['uuid'], n),
      power: sumBy('gpufleet_gpu_power_watts', scope, ['uuid'], n),
      temperature: `max by (uuid) (${series('gpufleet_gpu_temperature_celsius', scope, n)})`,
      throttled: `${series('gpufleet_gpu_throttled', scope, n)} == 1`,
      xids: `sum by (uuid, xid) (increase(${series('gpufleet_gpu_xid_errors_total', scope, n)}[${duration(rangeSeconds)}])) > 0`,
      nvmeRead: `sum by (device) (rate(${series('gpufleet_nvme_read_bytes_total', scope, n)}[5m]))`,
      nvmeWrite: `sum by (device) (rate(${series('gpufleet_nvme_written_bytes_total', scope, n)}[5m]))`,
      nvmeBusy: `sum by (device) (rate(${series('gpufleet_nvme_io_time_seconds_total', scope, n)}[5m]))`,
    },
    range: {
      gpuUseful: series('gpu:gpufleet_useful:ratio', scope, n),
    },
  };
}

export function infraQueries(scope: Scope, rangeSeconds: number): QuerySet {
  return {
    instant: {
      useful: averageOverRange('model_infra:gpufleet_useful:median', scope, rangeSeconds),
      jitter: averageOverRange('model_infra:gpufleet_useful_jitter:p95', scope, rangeSeconds),
      costPerUseful: averageOverRange('model_infra:gpufleet_cost_per_useful_gpu_hour:dollars', scope, rangeSeconds),
      gpus: series('model_infra:gpufleet_gpus:count', scope),
    },
    range: {},
  };
}

export function nodeListQuery(scope: Scope): string {
  return series('node:gpufleet_cost:dollars_per_hour', scope);
}
