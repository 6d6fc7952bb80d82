import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

export enum ROUTES {
  Overview = 'overview',
  Cost = 'cost',
  IdleWaste = 'idle-waste',
  Stragglers = 'stragglers',
  Node = 'node',
  Infra = 'bare-metal-vs-virtualised',
}

/** URL search parameters shared by every page, so a link keeps the reader's context. */
export const URL_PARAMS = {
  from: 'from',
  to: 'to',
  datasource: 'ds',
  cluster: 'cluster',
  node: 'node',
  workload: 'workload',
  dimension: 'by',
} as const;

export const DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

/** Alert names defined in alerts/; the Overview lists the firing ones. */
export const GPUFLEET_ALERT_NAMES = [
  'GpuFleetLowUtilization',
  'GpuNodeLowUtilization',
  'GpuTeamLowUtilization',
  'GpuIdleWasteBudgetBurn',
  'GpuStragglerDetected',
  'GpuThermalThrottling',
  'GpuPowerBrakeThrottling',
  'GpuHardwareSlowdown',
  'GpuCriticalXid',
  'GpuMissing',
  'NvmeThroughputBelowTarget',
  'NvmeIoSaturated',
  'GpufleetExporterDown',
  'GpufleetSourceDown',
  'GpufleetSourceStale',
];
