import type { ThresholdStep, ValueMapping } from './grafana.js';

/** Grafana unit ids used by the dashboards (tests/deploy checks every panel uses one of these). */
export const UNIT = {
  dollars: 'currencyUSD',
  ratio: 'percentunit',
  count: 'short',
  /** Label-only tables and 0/1 states read better without a unit suffix. */
  none: 'none',
  seconds: 's',
  bytes: 'bytes',
  bytesPerSecond: 'Bps',
  iops: 'iops',
  watts: 'watt',
  celsius: 'celsius',
  hertz: 'hertz',
  gpuHours: 'suffix: GPU-h',
  gpus: 'suffix: GPUs',
  onOff: 'bool_on_off',
} as const;

export const UP_MAPPING: ValueMapping = {
  type: 'value',
  options: { '0': { text: 'down', color: 'red', index: 0 }, '1': { text: 'up', color: 'green', index: 1 } },
};

export const THROTTLED_MAPPING: ValueMapping = {
  type: 'value',
  options: { '0': { text: 'no', color: 'transparent', index: 0 }, '1': { text: 'throttled', color: 'orange', index: 1 } },
};

/** Useful ratio colours: under 30 % is mostly paid idle time. */
export const USEFUL_RATIO_STEPS: ThresholdStep[] = [
  { color: 'red', value: null },
  { color: 'orange', value: 0.3 },
  { color: 'green', value: 0.6 },
];

/** Any non-zero count of problems is worth a colour. */
export const PROBLEM_COUNT_STEPS: ThresholdStep[] = [
  { color: 'green', value: null },
  { color: 'orange', value: 1 },
];
