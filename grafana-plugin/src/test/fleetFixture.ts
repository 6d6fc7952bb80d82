import { FakeRule } from './fakePrometheus';

/** A small fleet as the recording rules would describe it: two nodes, two teams, one workload. */
export const fleetRules: FakeRule[] = [
  { match: /^sum \(fleet:gpufleet_cost:dollars_per_hour\)$/, vector: [{ labels: {}, value: 98.5 }] },
  { match: /^sum \(fleet:gpufleet_gpus:count\)$/, vector: [{ labels: {}, value: 16 }] },
  { match: /^sum \(fleet:gpufleet_useful_gpus:sum\)$/, vector: [{ labels: {}, value: 8 }] },
  { match: /^\(?sum \(sum_over_time\(fleet:gpufleet_cost:dollars_(per_hour|1h)/, vector: [{ labels: {}, value: 2364 }] },
  { match: /^\(?sum \(sum_over_time\(fleet:gpufleet_useful_(gpus:sum|gpu_hours:sum_1h)/, vector: [{ labels: {}, value: 192 }] },
  { match: /^\(?sum \(sum_over_time\(fleet:gpufleet_(gpus:count|paid_gpu_hours:sum_1h)/, vector: [{ labels: {}, value: 384 }] },
  {
    match: /^fleet_offer:gpufleet_break_even:ratio/,
    vector: [
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', offer: 'hyperscaler_on_demand' }, value: 0.25 },
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', offer: 'neocloud' }, value: 0.6 },
    ],
  },
  {
    match: /^fleet_offer:gpufleet_monthly_saving:dollars/,
    vector: [
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', offer: 'hyperscaler_on_demand' }, value: 12000 },
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', offer: 'neocloud' }, value: -800 },
    ],
  },
  {
    match: /gpufleet_reference_gpu_hourly_cost_dollars/,
    vector: [
      { labels: { model: 'NVIDIA H100 80GB HBM3', offer: 'hyperscaler_on_demand' }, value: 12.29 },
      { labels: { model: 'NVIDIA H100 80GB HBM3', offer: 'neocloud' }, value: 2.49 },
    ],
  },
  { match: /^model:gpufleet_useful:ratio/, vector: [{ labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3' }, value: 0.5 }] },
  { match: /^model:gpufleet_cost_per_useful_gpu_hour:dollars/, vector: [{ labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3' }, value: 12.31 }] },
  {
    match: /^sum by \(kind\) \(fleet:gpufleet_idle_waste:dollars_per_hour/,
    vector: [
      { labels: { kind: 'unallocated' }, value: 12.5 },
      { labels: { kind: 'allocated_idle' }, value: 6.25 },
    ],
  },
  {
    match: /^\(?sum by \(kind\) \(sum_over_time\(fleet:gpufleet_idle_waste/,
    vector: [
      { labels: { kind: 'unallocated' }, value: 300 },
      { labels: { kind: 'allocated_idle' }, value: 150 },
    ],
  },
  { match: /^topk\(10, sum by \(cluster, node\)/, vector: [{ labels: { cluster: 'cluster-a', node: 'gpu-node-02' }, value: 12.5 }] },
  { match: /^topk\(10, sum by \(team\)/, vector: [{ labels: { team: 'research' }, value: 12.5 }] },
  { match: /^sum \(fleet:gpufleet_stragglers:count/, vector: [{ labels: {}, value: 1 }] },
  { match: /^ALERTS/, vector: [{ labels: { alertname: 'GpuStragglerDetected', severity: 'warning', cluster: 'cluster-a', node: 'gpu-node-03' }, value: 1 }] },
  { match: /^sum \(fleet:gpufleet_useful_gpus:sum\) \/ sum/, matrix: [{ labels: {}, values: [0.4, 0.5, 0.5, 0.6] }] },
  // Cost page, by team.
  { match: /^sum by \(team\) \(team:gpufleet_cost:dollars_per_hour/, vector: [{ labels: { team: 'research' }, value: 49.25 }, { labels: { team: 'vision' }, value: 49.25 }] },
  { match: /^sum by \(team\) \(team:gpufleet_gpus:count/, vector: [{ labels: { team: 'research' }, value: 8 }, { labels: { team: 'vision' }, value: 8 }] },
  { match: /^\(?sum by \(team\) \(sum_over_time\(team:gpufleet_cost:dollars_per_hour.*\[86400s:/, vector: [{ labels: { team: 'research' }, value: 1182 }, { labels: { team: 'vision' }, value: 1182 }] },
  { match: /^\(?sum by \(team\) \(sum_over_time\(team:gpufleet_cost:dollars_per_hour/, vector: [{ labels: { team: 'research' }, value: 10000 }, { labels: { team: 'vision' }, value: 5000 }] },
  { match: /^\(?sum by \(team\) \(sum_over_time\(team:gpufleet_gpus:count/, vector: [{ labels: { team: 'research' }, value: 192 }, { labels: { team: 'vision' }, value: 192 }] },
  { match: /^\(?sum by \(team\) \(sum_over_time\(team:gpufleet_useful_gpus:sum/, vector: [{ labels: { team: 'research' }, value: 48 }, { labels: { team: 'vision' }, value: 144 }] },
  // Idle waste page.
  { match: /^max\(gpufleet:idle_threshold:ratio\)$/, vector: [{ labels: {}, value: 0.05 }] },
  {
    match: /^sum by \(cluster, node, kind\) \(node:gpufleet_idle_waste/,
    vector: [
      { labels: { cluster: 'cluster-a', node: 'gpu-node-02', kind: 'unallocated' }, value: 12.5 },
      { labels: { cluster: 'cluster-a', node: 'gpu-node-03', kind: 'allocated_idle' }, value: 6.25 },
    ],
  },
  { match: /^\(?sum by \(cluster, node\) \(sum_over_time\(node:gpufleet_idle_waste/, vector: [{ labels: { cluster: 'cluster-a', node: 'gpu-node-02' }, value: 300 }] },
  { match: /^sum by \(team, kind\) \(team:gpufleet_idle_waste/, vector: [{ labels: { team: 'research', kind: 'unallocated' }, value: 12.5 }] },
  {
    match: /^gpu:gpufleet_idle_waste:dollars_per_hour/,
    vector: [{ labels: { cluster: 'cluster-a', node: 'gpu-node-02', gpu: '0', uuid: 'GPU-2-0', model: 'NVIDIA H100 80GB HBM3', team: 'research', kind: 'unallocated' }, value: 6.25 }],
  },
  { match: /^gpu:gpufleet_useful:ratio.* < /, vector: [{ labels: { node: 'gpu-node-02', uuid: 'GPU-2-0' }, value: 0.01 }, { labels: { node: 'gpu-node-02', uuid: 'GPU-2-1' }, value: 0.02 }] },
  { match: /^sum by \(namespace, pod, hpc_job\)/, vector: [{ labels: { namespace: 'ml', pod: 'trainer-0', hpc_job: '' }, value: 6.25 }] },
  // Stragglers page.
  { match: /^workload:gpufleet_sm_active:median/, vector: [{ labels: { cluster: 'cluster-a', workload: 'llm-pretrain' }, value: 0.82 }], matrix: [{ labels: { cluster: 'cluster-a', workload: 'llm-pretrain' }, values: [0.8, 0.82, 0.81] }] },
  { match: /^workload:gpufleet_stragglers:count/, vector: [{ labels: { cluster: 'cluster-a', workload: 'llm-pretrain' }, value: 1 }] },
  { match: /^workload:gpufleet_sm_active:mad/, matrix: [{ labels: { cluster: 'cluster-a', workload: 'llm-pretrain' }, values: [0.02, 0.02, 0.02] }] },
  {
    match: /^node_workload:gpufleet_straggler:score/,
    vector: [
      { labels: { cluster: 'cluster-a', workload: 'llm-pretrain', node: 'gpu-node-01' }, value: 0.3 },
      { labels: { cluster: 'cluster-a', workload: 'llm-pretrain', node: 'gpu-node-03' }, value: 9.4 },
      { labels: { cluster: 'cluster-a', workload: 'llm-pretrain', node: 'gpu-node-04' }, value: 0.1 },
    ],
  },
  { match: /^node_workload:gpufleet_straggler:flag/, vector: [{ labels: { cluster: 'cluster-a', workload: 'llm-pretrain', node: 'gpu-node-03', cause: 'thermal' }, value: 1 }] },
  {
    match: /^node_workload:gpufleet_sm_active:ratio/,
    vector: [
      { labels: { cluster: 'cluster-a', node: 'gpu-node-01' }, value: 0.83 },
      { labels: { cluster: 'cluster-a', node: 'gpu-node-03' }, value: 0.52 },
      { labels: { cluster: 'cluster-a', node: 'gpu-node-04' }, value: 0.82 },
    ],
    matrix: [
      { labels: { cluster: 'cluster-a', node: 'gpu-node-01' }, values: [0.82, 0.83, 0.83] },
      { labels: { cluster: 'cluster-a', node: 'gpu-node-03' }, values: [0.6, 0.55, 0.52] },
      { labels: { cluster: 'cluster-a', node: 'gpu-node-04' }, values: [0.81, 0.82, 0.82] },
    ],
  },
  // Node page.
  { match: /^node:gpufleet_cost:dollars_per_hour\{node=/, vector: [{ labels: { cluster: 'cluster-a', node: 'gpu-node-03', team: 'research', provider: 'acme', infra: 'bare_metal', pricing: 'reserved', model: 'NVIDIA H100 80GB HBM3' }, value: 24.62 }] },
  { match: /^node:gpufleet_cost:dollars_per_hour/, vector: [{ labels: { cluster: 'cluster-a', node: 'gpu-node-01' }, value: 24.62 }, { labels: { cluster: 'cluster-a', node: 'gpu-node-03' }, value: 24.62 }] },
  { match: /^node:gpufleet_useful:ratio/, vector: [{ labels: {}, value: 0.52 }] },
  { match: /^node:gpufleet_gpus:count/, vector: [{ labels: {}, value: 2 }] },
  { match: /^gpufleet_gpu_info/, vector: [{ labels: { uuid: 'GPU-3-0', gpu: '0', model: 'NVIDIA H100 80GB HBM3', driver_version: '550.54' }, value: 1 }, { labels: { uuid: 'GPU-3-1', gpu: '1', model: 'NVIDIA H100 80GB HBM3', driver_version: '550.54' }, value: 1 }] },
  { match: /^gpu:gpufleet_useful:ratio\{node=/, vector: [{ labels: { uuid: 'GPU-3-0', gpu: '0' }, value: 0.5 }, { labels: { uuid: 'GPU-3-1', gpu: '1' }, value: 0.54 }], matrix: [{ labels: { uuid: 'GPU-3-0', gpu: '0' }, values: [0.5, 0.5] }] },
  { match: /gpufleet_gpu_memory_used_bytes/, vector: [{ labels: { uuid: 'GPU-3-0' }, value: 40 * 1024 ** 3 }] },
  { match: /gpufleet_gpu_memory_free_bytes/, vector: [{ labels: { uuid: 'GPU-3-0' }, value: 40 * 1024 ** 3 }] },
  { match: /gpufleet_gpu_power_watts/, vector: [{ labels: { uuid: 'GPU-3-0' }, value: 612 }] },
  { match: /gpufleet_gpu_temperature_celsius/, vector: [{ labels: { uuid: 'GPU-3-0' }, value: 91 }] },
  { match: /gpufleet_gpu_throttled/, vector: [{ labels: { uuid: 'GPU-3-0', reason: 'sw_thermal' }, value: 1 }] },
  { match: /gpufleet_gpu_xid_errors_total/, vector: [{ labels: { uuid: 'GPU-3-1', xid: '79' }, value: 2 }] },
  { match: /gpufleet_nvme_read_bytes_total/, vector: [{ labels: { device: 'nvme0n1' }, value: 2 * 1024 ** 3 }] },
  { match: /gpufleet_nvme_written_bytes_total/, vector: [{ labels: { device: 'nvme0n1' }, value: 1024 ** 3 }] },
  { match: /gpufleet_nvme_io_time_seconds_total/, vector: [{ labels: { device: 'nvme0n1' }, value: 0.4 }] },
  // Bare metal vs virtualised.
  {
    match: /model_infra:gpufleet_useful:median/,
    vector: [
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'bare_metal' }, value: 0.71 },
      { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'vm' }, value: 0.63 },
    ],
  },
  { match: /model_infra:gpufleet_useful_jitter:p95/, vector: [{ labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'vm' }, value: 0.08 }] },
  { match: /model_infra:gpufleet_cost_per_useful_gpu_hour:dollars/, vector: [{ labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'vm' }, value: 4.4 }] },
  { match: /model_infra:gpufleet_gpus:count/, vector: [{ labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'bare_metal' }, value: 8 }, { labels: { cluster: 'cluster-a', model: 'NVIDIA H100 80GB HBM3', infra: 'vm' }, value: 8 }] },
];
