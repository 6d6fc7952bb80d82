import { dashboard, stat, table, timeseries } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, dashboardLinks, nodeDetailLink } from '../links.js';
import { PROBLEM_COUNT_STEPS, UNIT, UP_MAPPING } from '../units.js';
import { clusterVariable, datasourceVariable, match, nodeVariable, sel, teamVariable } from '../variables.js';

/*
 * Is the monitoring itself working, and are the GPUs and disks healthy: exporter targets and their
 * sources (up, age of the last good read), XID errors, throttling, missing GPUs, NVMe saturation.
 * Exporter and source panels filter by cluster only: a target that never answered has no node yet.
 */

/** Exporter targets, whatever their job is called in compose or Kubernetes. */
const EXPORTER_JOB = 'job=~".*gpufleet.*"';
const UP = sel('up', match.cluster, EXPORTER_JOB);
const NODES = [match.cluster, match.nodes];
const SOURCE_KEY = 'cluster, instance, node, source, target';
/** Throttle reasons that slow a GPU down for a fault, not for idling or a normal software power cap. */
const FAULT_REASONS = 'reason=~"hw_slowdown|sw_thermal|hw_thermal|hw_power_brake"';

export function health(): Dashboard {
  return dashboard({
    uid: UIDS.health,
    title: 'GPU fleet / Health',
    description: 'Exporters and their sources, XID errors, throttling, missing GPUs and NVMe saturation',
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(true)],
    links: dashboardLinks([{ route: APP_ROUTES.overview, title: 'Overview' }]),
    rows: [
      {
        title: 'Exporters and sources',
        panels: [
          stat({
            title: 'Exporter targets up',
            description: 'gpufleet exporter targets Prometheus scraped successfully on its last attempt (up == 1), in the selected clusters.',
            unit: UNIT.count,
            decimals: 0,
            w: 6,
            h: 4,
            queries: [{ expr: `sum(${UP})` }],
          }),
          stat({
            title: 'Exporter targets down',
            description: 'gpufleet exporter targets Prometheus could not scrape on its last attempt (up == 0). Their GPUs, disks or prices are not watched.',
            unit: UNIT.count,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 6,
            h: 4,
            queries: [{ expr: `sum(1 - ${UP})` }],
          }),
          stat({
            title: 'Sources failing',
            description:
              'Sources inside the exporters (dcgm, nvme, billing) whose last read failed (gpufleet_source_up == 0). A failed source serves no numbers, except billing, which keeps its last good price book.',
            unit: UNIT.count,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 6,
            h: 4,
            queries: [{ expr: `sum(1 - ${sel('gpufleet_source_up', match.cluster)})` }],
          }),
          stat({
            title: 'Oldest successful read',
            description: 'Time since the least recent successful read among all sources. Past 5 min a source counts as stale (GpufleetSourceStale).',
            unit: UNIT.seconds,
            decimals: 0,
            thresholds: [
              { color: 'green', value: null },
              { color: 'orange', value: 120 },
              { color: 'red', value: 300 },
            ],
            w: 6,
            h: 4,
            queries: [{ expr: `max(time() - ${sel('gpufleet_source_last_success_timestamp_seconds', match.cluster)})` }],
          }),
          table({
            title: 'Exporter targets',
            description: 'Every gpufleet exporter target with its state on the last scrape and, once it has answered, the node it serves.',
            w: 10,
            h: 8,
            show: ['job', 'instance'],
            sortBy: { column: 'State', desc: false },
            columns: [
              {
                // The node comes from what the target exported; `or` keeps targets that never answered.
                expr: `(${UP} * on (cluster, job, instance) group_left (node) topk by (cluster, job, instance) (1, ${sel('target:gpufleet_exporter:info', match.cluster)})) or on (cluster, job, instance) ${UP}`,
                column: 'State',
                unit: UNIT.none,
                mappings: [UP_MAPPING],
              },
            ],
          }),
          table({
            title: 'Sources',
            description:
              'Each source of each exporter: state of its last read, time since its last successful read, how long the last read took, and how many input lines or rows it rejected as malformed (the exporter log says where).',
            w: 14,
            h: 8,
            show: ['instance'],
            sortBy: { column: 'State', desc: false },
            columns: [
              { expr: `max by (${SOURCE_KEY}) (${sel('gpufleet_source_up', match.cluster)})`, column: 'State', unit: UNIT.none, mappings: [UP_MAPPING] },
              {
                expr: `max by (${SOURCE_KEY}) (time() - ${sel('gpufleet_source_last_success_timestamp_seconds', match.cluster)})`,
                column: 'Since last success',
                unit: UNIT.seconds,
                decimals: 0,
              },
              { expr: `max by (${SOURCE_KEY}) (${sel('gpufleet_source_duration_seconds', match.cluster)})`, column: 'Read duration', unit: UNIT.seconds, decimals: 3 },
              { expr: `max by (${SOURCE_KEY}) (${sel('gpufleet_source_rejected_inputs', match.cluster)})`, column: 'Rejected inputs', unit: UNIT.count, decimals: 0 },
            ],
          }),
          timeseries({
            title: 'Time since last successful read',
            description: 'Per source kind, the oldest last successful read. The dashed line is the 5 min staleness limit.',
            unit: UNIT.seconds,
            thresholds: [
              { color: 'green', value: null },
              { color: 'red', value: 300 },
            ],
            thresholdLine: true,
            w: 8,
            h: 7,
            queries: [{ expr: `max by (cluster, source) (time() - ${sel('gpufleet_source_last_success_timestamp_seconds', match.cluster)})`, legend: '{{source}} ({{cluster}})' }],
          }),
          timeseries({
            title: 'Source read duration',
            description: 'Per source kind, the slowest read. A dcgm read near its 3 s timeout makes scrapes slow.',
            unit: UNIT.seconds,
            w: 8,
            h: 7,
            queries: [{ expr: `max by (cluster, source) (${sel('gpufleet_source_duration_seconds', match.cluster)})`, legend: '{{source}} ({{cluster}})' }],
          }),
          timeseries({
            title: 'Slowest scrapes',
            description: 'The 10 exporter targets whose scrape took longest (scrape_duration_seconds); Prometheus gives up at the scrape timeout.',
            unit: UNIT.seconds,
            w: 8,
            h: 7,
            queries: [{ expr: `topk(10, ${sel('scrape_duration_seconds', match.cluster, EXPORTER_JOB)})`, legend: '{{job}} {{instance}}' }],
          }),
        ],
      },
      {
        title: 'GPUs',
        panels: [
          stat({
            title: 'Missing GPUs',
            description: 'GPUs the selected nodes should have (the most they reported in the last hour, or what the bill says) minus the GPUs they report now.',
            unit: UNIT.gpus,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 8,
            h: 4,
            queries: [{ expr: `sum(${sel('node:gpufleet_missing_gpus:count', ...NODES)})` }],
          }),
          stat({
            title: 'GPUs throttled for a fault',
            description: 'GPUs with a thermal, power-brake or hardware-slowdown throttle reason active now (idle clocks and the software power cap are left out).',
            unit: UNIT.gpus,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 8,
            h: 4,
            queries: [{ expr: `sum(max by (cluster, node, gpu) (${sel('gpufleet_gpu_throttled', ...NODES, FAULT_REASONS)}))` }],
          }),
          stat({
            title: 'XID errors in the last 10 min',
            description: 'XID errors the selected GPUs reported in the last 10 minutes (gpu:gpufleet_xid_errors:increase10m). No data means no GPU has reported an XID since its exporter started.',
            unit: UNIT.count,
            decimals: 0,
            thresholds: PROBLEM_COUNT_STEPS,
            w: 8,
            h: 4,
            queries: [{ expr: `sum(${sel('gpu:gpufleet_xid_errors:increase10m', ...NODES)})` }],
          }),
          timeseries({
            title: 'GPUs reported and expected',
            description: 'Physical GPUs the nodes report, and the GPUs they should have (the most seen in the last hour, or the bill). A gap is a GPU fallen off the bus or a node down.',
            unit: UNIT.gpus,
            w: 12,
            h: 7,
            queries: [
              { expr: `sum by (cluster) (${sel('node:gpufleet_reported_gpus:count', ...NODES)})`, legend: 'reported ({{cluster}})' },
              { expr: `sum by (cluster) (${sel('node:gpufleet_expected_gpus:count', ...NODES)})`, legend: 'expected ({{cluster}})' },
            ],
          }),
          timeseries({
            title: 'GPUs throttled by reason',
            description:
              'GPUs with each clock throttle reason active. gpu_idle and sw_power_cap are normal (idle clocks, power cap under full load); thermal, power brake and hardware slowdown cost throughput.',
            unit: UNIT.gpus,
            w: 12,
            h: 7,
            queries: [{ expr: `sum by (reason) (${sel('gpufleet_gpu_throttled', ...NODES)})`, legend: '{{reason}}' }],
          }),
          table({
            title: 'GPUs throttled for a fault now',
            description: 'Each GPU with a thermal, power-brake or hardware-slowdown throttle reason active now. Click a node for its detail.',
            w: 12,
            h: 8,
            columns: [
              {
                expr: `max by (cluster, node, gpu, reason) (${sel('gpufleet_gpu_throttled', ...NODES, FAULT_REASONS)}) == 1`,
                column: 'Throttled',
                unit: UNIT.onOff,
              },
            ],
            fieldLinks: { node: [nodeDetailLink('row')] },
          }),
          table({
            title: 'XID errors by GPU',
            description: 'GPUs that reported XID errors in the last 10 minutes, by XID code. Codes 48, 63, 64, 74, 79, 94 and 95 usually need the GPU drained. Click a node for its detail.',
            w: 12,
            h: 8,
            hide: ['uuid'],
            sortBy: { column: 'Errors (10 min)', desc: true },
            columns: [{ expr: `${sel('gpu:gpufleet_xid_errors:increase10m', ...NODES)} > 0`, column: 'Errors (10 min)', unit: UNIT.count, decimals: 0 }],
            fieldLinks: { node: [nodeDetailLink('row')] },
          }),
          timeseries({
            title: 'Hottest GPUs',
            description: 'The 10 GPUs with the highest core temperature at each point.',
            unit: UNIT.celsius,
            w: 24,
            h: 7,
            queries: [{ expr: `topk(10, max by (cluster, node, gpu) (${sel('gpufleet_gpu_temperature_celsius', ...NODES)}))`, legend: '{{node}} GPU {{gpu}}' }],
            links: [nodeDetailLink('field')],
          }),
        ],
      },
      {
        title: 'NVMe',
        panels: [
          timeseries({
            title: 'Busiest NVMe devices',
            description: 'The 10 NVMe devices with the highest share of time with I/O in flight over 5 min. The dashed line is the 90 % saturation threshold (NvmeIoSaturated).',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            thresholds: [
              { color: 'green', value: null },
              { color: 'red', value: 0.9 },
            ],
            thresholdLine: true,
            w: 12,
            h: 8,
            queries: [{ expr: `topk(10, ${sel('device:gpufleet_nvme_busy:ratio', ...NODES)})`, legend: '{{node}} {{device}}' }],
            links: [nodeDetailLink('field')],
          }),
          timeseries({
            title: 'NVMe read throughput',
            description: 'The 10 nodes reading the most from NVMe (bytes per second over 5 min, all devices of the node).',
            unit: UNIT.bytesPerSecond,
            w: 12,
            h: 8,
            queries: [{ expr: `topk(10, ${sel('node:gpufleet_nvme_read:bytes_per_second', ...NODES)})`, legend: '{{node}}' }],
            links: [nodeDetailLink('field')],
          }),
        ],
      },
    ],
  });
}
