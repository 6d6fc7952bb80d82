import { dashboard, stat, stateTimeline, table, timeseries } from '../builder.js';
import type { Dashboard } from '../grafana.js';
import { APP_ROUTES, UIDS, dashboardLinks } from '../links.js';
import { THROTTLED_MAPPING, UNIT, USEFUL_RATIO_STEPS } from '../units.js';
import { clusterVariable, datasourceVariable, gpuVariable, match, nodeVariable, sel, teamVariable } from '../variables.js';

/*
 * One node: its cost and usefulness from the recordings, then per-GPU detail from the exporter's raw
 * series (no recording keeps per-GPU engine activity, power, clocks or throttle reasons).
 * MIG instances: quantities of the whole GPU (power, temperature, clocks, PCIe) take the max over its
 * instances; activity ratios are averaged and memory is summed, as the recordings do.
 */

const NODE = [match.cluster, match.node];
const GPU = [match.cluster, match.node, match.gpu];
const node = (metric: string) => sel(`node:${metric}`, ...NODE);
const raw = (metric: string) => sel(metric, ...GPU);

export function nodeDetail(): Dashboard {
  return dashboard({
    uid: UIDS.node,
    title: 'GPU fleet / Node detail',
    description: 'One GPU node: cost, useful ratio, per-GPU activity, power, thermals, throttling, XIDs and NVMe',
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    variables: [datasourceVariable(), clusterVariable(), teamVariable(), nodeVariable(false), gpuVariable()],
    links: dashboardLinks([{ route: APP_ROUTES.node, title: 'Node', params: ['node=${node}'] }]),
    rows: [
      {
        title: 'Cost and usefulness',
        panels: [
          stat({
            title: 'Cost per useful GPU-hour',
            description: 'The node’s cost rate ($/h) ÷ Σ useful ratio of its GPUs now. No data when the node does no useful work or has no price.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 5,
            h: 4,
            queries: [{ expr: node('gpufleet_cost_per_useful_gpu_hour:dollars') }],
          }),
          stat({
            title: 'Useful ratio',
            description: 'Σ useful ratio of the node’s GPUs ÷ its number of GPUs, now.',
            unit: UNIT.ratio,
            decimals: 1,
            thresholds: USEFUL_RATIO_STEPS,
            w: 5,
            h: 4,
            queries: [{ expr: node('gpufleet_useful:ratio') }],
          }),
          stat({
            title: 'Cost rate',
            description: 'Dollars per hour the node’s GPUs cost now: its effective $/GPU-hour × the GPUs it reports.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 5,
            h: 4,
            queries: [{ expr: node('gpufleet_cost:dollars_per_hour') }],
          }),
          stat({
            title: 'Idle waste rate',
            description:
              'Dollars per hour paid for this node’s GPUs that stayed under the idle threshold for the minimum duration. No data means no GPU of the node is idle.',
            unit: UNIT.dollars,
            decimals: 2,
            w: 5,
            h: 4,
            queries: [{ expr: `sum(${node('gpufleet_idle_waste:dollars_per_hour')})` }],
          }),
          stat({
            title: 'GPUs',
            description: 'Paid GPUs the node reports now (physical GPUs; MIG instances count once).',
            unit: UNIT.gpus,
            decimals: 0,
            w: 4,
            h: 4,
            queries: [{ expr: node('gpufleet_gpus:count') }],
          }),
          table({
            title: 'Node identity',
            description: 'Who runs and pays for the node, from the price book: provider, infrastructure (bare_metal, vm, cloud), pricing model and team.',
            w: 12,
            h: 4,
            hide: ['cluster'],
            columns: [{ expr: sel('gpufleet_node_info', ...NODE), column: 'Info', unit: UNIT.none }],
            labelsOnly: true,
          }),
          timeseries({
            title: 'Cost rate and idle waste',
            description: 'The node’s cost rate ($/h) and the part of it paid for idle GPUs, by kind (unallocated, allocated_idle).',
            unit: UNIT.dollars,
            w: 12,
            h: 4,
            queries: [
              { expr: node('gpufleet_cost:dollars_per_hour'), legend: 'cost rate' },
              { expr: `sum by (kind) (${node('gpufleet_idle_waste:dollars_per_hour')})`, legend: 'idle: {{kind}}' },
            ],
          }),
        ],
      },
      {
        title: 'GPUs',
        panels: [
          table({
            title: 'GPUs',
            description: 'Each GPU (and MIG instance) of the node with its UUID, model, PCI bus id and driver version, from the exporter’s identity series.',
            w: 24,
            h: 7,
            hide: ['cluster', 'node'],
            columns: [{ expr: sel('gpufleet_gpu_info', ...GPU), column: 'Info', unit: UNIT.none }],
            labelsOnly: true,
          }),
          table({
            title: 'Workloads on the GPUs',
            description: 'Workloads DCGM attributes to the node’s GPUs now. Empty when no workload holds a GPU (its idle cost then counts as unallocated).',
            w: 24,
            h: 5,
            hide: ['cluster', 'node'],
            columns: [{ expr: sel('gpufleet_gpu_workload_info', ...NODE), column: 'Info', unit: UNIT.none }],
            labelsOnly: true,
          }),
          timeseries({
            title: 'Useful ratio per GPU',
            description: 'Useful ratio of each physical GPU (SM activity, or graphics engine activity, or utilisation), averaged over its MIG instances.',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 12,
            h: 8,
            queries: [{ expr: sel('gpu:gpufleet_useful:ratio', ...GPU), legend: 'GPU {{gpu}}' }],
          }),
          timeseries({
            title: 'Engine activity',
            description:
              'Share of time the SMs, tensor cores and memory interface (DRAM) of each GPU were active (DCGM profiling fields), averaged over MIG instances.',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 12,
            h: 8,
            queries: [
              { expr: `avg by (gpu) (${raw('gpufleet_gpu_sm_active_ratio')})`, legend: 'SM {{gpu}}' },
              { expr: `avg by (gpu) (${raw('gpufleet_gpu_tensor_active_ratio')})`, legend: 'tensor {{gpu}}' },
              { expr: `avg by (gpu) (${raw('gpufleet_gpu_dram_active_ratio')})`, legend: 'DRAM {{gpu}}' },
            ],
          }),
          timeseries({
            title: 'Power draw',
            description: 'Board power of each GPU in watts.',
            unit: UNIT.watts,
            w: 8,
            h: 7,
            queries: [{ expr: `max by (gpu) (${raw('gpufleet_gpu_power_watts')})`, legend: 'GPU {{gpu}}' }],
          }),
          timeseries({
            title: 'Temperature',
            description: 'GPU core temperature in degrees Celsius.',
            unit: UNIT.celsius,
            w: 8,
            h: 7,
            queries: [{ expr: `max by (gpu) (${raw('gpufleet_gpu_temperature_celsius')})`, legend: 'GPU {{gpu}}' }],
          }),
          timeseries({
            title: 'SM clock',
            description: 'SM clock of each GPU. A clock dropping under load while temperature or power is high points at throttling.',
            unit: UNIT.hertz,
            w: 8,
            h: 7,
            queries: [{ expr: `max by (gpu) (${raw('gpufleet_gpu_sm_clock_hertz')})`, legend: 'GPU {{gpu}}' }],
          }),
          timeseries({
            title: 'Memory used',
            description: 'Framebuffer memory in use on each GPU (summed over its MIG instances).',
            unit: UNIT.bytes,
            w: 8,
            h: 7,
            queries: [{ expr: `sum by (gpu) (${raw('gpufleet_gpu_memory_used_bytes')})`, legend: 'GPU {{gpu}}' }],
          }),
          timeseries({
            title: 'PCIe and NVLink traffic',
            description: 'Bytes per second each GPU sends and receives over PCIe, and its NVLink throughput.',
            unit: UNIT.bytesPerSecond,
            w: 16,
            h: 7,
            queries: [
              { expr: `max by (gpu) (${raw('gpufleet_gpu_pcie_transmit_bytes_per_second')})`, legend: 'PCIe tx {{gpu}}' },
              { expr: `max by (gpu) (${raw('gpufleet_gpu_pcie_receive_bytes_per_second')})`, legend: 'PCIe rx {{gpu}}' },
              { expr: `max by (gpu) (${raw('gpufleet_gpu_nvlink_bytes_per_second')})`, legend: 'NVLink {{gpu}}' },
            ],
          }),
          stateTimeline({
            title: 'Throttle reasons',
            description:
              'Clock throttle reasons active on each GPU, decoded from DCGM’s clock-event bitmask (thermal, power brake, hardware slowdown…). A software power cap under full load is normal.',
            unit: UNIT.onOff,
            mappings: [THROTTLED_MAPPING],
            w: 12,
            h: 8,
            queries: [{ expr: `max by (gpu, reason) (${raw('gpufleet_gpu_throttled')})`, legend: 'GPU {{gpu}} {{reason}}' }],
          }),
          timeseries({
            title: 'XID errors',
            description:
              'XID errors each GPU reported in the 10 minutes before each point, by XID code (gpu:gpufleet_xid_errors:increase10m). Codes 48, 63, 64, 74, 79, 94 and 95 usually need the GPU drained.',
            unit: UNIT.count,
            bars: true,
            w: 12,
            h: 8,
            queries: [{ expr: `sum by (gpu, xid) (${sel('gpu:gpufleet_xid_errors:increase10m', ...GPU)})`, legend: 'GPU {{gpu}} XID {{xid}}' }],
          }),
        ],
      },
      {
        title: 'NVMe',
        panels: [
          timeseries({
            title: 'NVMe throughput',
            description: 'Bytes per second read from and written to each NVMe device of the node (whole devices, 512-byte sectors).',
            unit: UNIT.bytesPerSecond,
            w: 8,
            h: 7,
            queries: [
              { expr: `rate(${sel('gpufleet_nvme_read_bytes_total', ...NODE)}[$__rate_interval])`, legend: 'read {{device}}' },
              { expr: `rate(${sel('gpufleet_nvme_written_bytes_total', ...NODE)}[$__rate_interval])`, legend: 'write {{device}}' },
            ],
          }),
          timeseries({
            title: 'NVMe operations',
            description: 'Reads and writes completed per second on each NVMe device.',
            unit: UNIT.iops,
            w: 8,
            h: 7,
            queries: [
              { expr: `rate(${sel('gpufleet_nvme_reads_completed_total', ...NODE)}[$__rate_interval])`, legend: 'reads {{device}}' },
              { expr: `rate(${sel('gpufleet_nvme_writes_completed_total', ...NODE)}[$__rate_interval])`, legend: 'writes {{device}}' },
            ],
          }),
          timeseries({
            title: 'NVMe busy time',
            description:
              'Share of time each NVMe device had I/O in flight over 5 min (device:gpufleet_nvme_busy:ratio). Near 100 % requests queue and a data loader may stall the GPUs.',
            unit: UNIT.ratio,
            min: 0,
            max: 1,
            w: 8,
            h: 7,
            queries: [{ expr: sel('device:gpufleet_nvme_busy:ratio', ...NODE), legend: '{{device}}' }],
          }),
        ],
      },
      {
        title: 'Against the alternatives',
        panels: [
          table({
            title: 'Break-even against the cheapest offer',
            description:
              'Against the cheapest reference offer for the node’s GPU model (the offer column). Break-even: the node’s $/GPU-hour ÷ the offer’s $/GPU-hour, i.e. the useful ratio above which this node is cheaper per useful hour than renting the offer on demand. Monthly saving: (useful GPUs × offer price − node cost rate) × 730 h; negative means the offer would have been cheaper.',
            w: 12,
            h: 7,
            hide: ['cluster', 'node'],
            columns: [
              { expr: sel('node_offer:gpufleet_break_even:ratio', ...NODE), column: 'Break-even useful ratio', unit: UNIT.ratio, decimals: 1 },
              { expr: sel('node_offer:gpufleet_monthly_saving:dollars', ...NODE), column: 'Monthly saving', unit: UNIT.dollars, decimals: 0 },
            ],
          }),
          timeseries({
            title: 'Straggler score in its workloads',
            description:
              'Robust z-score of the node’s SM activity against the median of each multi-node workload it runs: 0.6745 × (median − node) ÷ MAD. At 3.5 and above the node drags the job down. No data when the node runs no workload spanning 3 or more nodes.',
            unit: UNIT.count,
            thresholds: [
              { color: 'green', value: null },
              { color: 'red', value: 3.5 },
            ],
            thresholdLine: true,
            w: 12,
            h: 7,
            queries: [{ expr: sel('node_workload:gpufleet_straggler:score', ...NODE), legend: '{{workload}}' }],
          }),
        ],
      },
    ],
  });
}
