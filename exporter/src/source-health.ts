import type { MetricFamily, Sample } from './exposition/types.js';

/** What the exporter knows of one source's last collection, exposed as `gpufleet_source_*`. */
export interface SourceHealth {
  source: string;
  target: string;
  /** Set for node-role sources. */
  node?: string;
  up: boolean;
  /** Unix seconds of the last collection that succeeded, or undefined when none has. */
  lastSuccessSeconds: number | undefined;
  durationSeconds: number;
  /** Input lines or rows rejected by the last collection. */
  rejected: number;
}

/** Renders health records as the contract's `gpufleet_source_*` families. */
export function healthFamilies(records: readonly SourceHealth[]): MetricFamily[] {
  const up: Sample[] = [];
  const lastSuccess: Sample[] = [];
  const duration: Sample[] = [];
  const rejected: Sample[] = [];
  for (const r of records) {
    const labels: Record<string, string> = r.node === undefined ? { source: r.source, target: r.target } : { node: r.node, source: r.source, target: r.target };
    up.push({ labels, value: r.up ? 1 : 0 });
    if (r.lastSuccessSeconds !== undefined) lastSuccess.push({ labels, value: r.lastSuccessSeconds });
    duration.push({ labels, value: r.durationSeconds });
    rejected.push({ labels, value: r.rejected });
  }
  return [
    { name: 'gpufleet_source_up', help: 'Whether the last read of the source succeeded (1) or failed (0).', type: 'gauge', samples: up },
    {
      name: 'gpufleet_source_last_success_timestamp_seconds',
      help: 'Unix time of the last successful read of the source.',
      type: 'gauge',
      samples: lastSuccess,
    },
    { name: 'gpufleet_source_duration_seconds', help: 'How long the last read of the source took.', type: 'gauge', samples: duration },
    {
      name: 'gpufleet_source_rejected_inputs',
      help: 'Input lines or rows the last read of the source rejected as malformed (see the exporter log for where).',
      type: 'gauge',
      samples: rejected,
    },
  ];
}
