import type { MetricFamily, Sample } from '../../exposition/types.js';
import type { NodeCost } from './node-costs.js';
import type { ReferenceOffer } from './pricebook.js';

/**
 * Sums of many FOCUS line items carry binary floating-point dust (6.9800000000000075); twelve
 * significant digits keep every real cent and sub-cent while the exposed price reads as billed.
 */
function roundMoney(value: number): number {
  return Number(value.toPrecision(12));
}

/** Health of one billing input file. */
export interface BillingFileStatus {
  file: string;
  /** False when its last read failed or it vanished (its last good data may still be served). */
  up: boolean;
  /** Rows its last successful read rejected. */
  rowsRejected: number;
}

/** The billing role's part of the metric contract. */
export function billingFamilies(
  nodes: readonly NodeCost[],
  references: readonly ReferenceOffer[],
  files: readonly BillingFileStatus[],
): MetricFamily[] {
  const cost: Sample[] = [];
  const info: Sample[] = [];
  const gpus: Sample[] = [];
  for (const n of nodes) {
    const node = { node: n.node };
    info.push({ labels: { node: n.node, provider: n.provider, infra: n.infra, pricing: n.pricing, team: n.team }, value: 1 });
    if (n.gpuHourlyCost !== undefined) cost.push({ labels: node, value: roundMoney(n.gpuHourlyCost) });
    if (n.gpus !== undefined) gpus.push({ labels: node, value: n.gpus });
  }
  return [
    {
      name: 'gpufleet_node_gpu_hourly_cost_dollars',
      help: 'Effective cost of one GPU-hour on the node: billed (FOCUS EffectiveCost) when bills exist, else the price book.',
      type: 'gauge',
      samples: cost,
    },
    {
      name: 'gpufleet_node_info',
      help: 'Billing identity of a node: provider, infrastructure (bare_metal|vm|cloud), pricing (on_demand|reserved|spot|owned), team.',
      type: 'gauge',
      samples: info,
    },
    {
      name: 'gpufleet_node_gpus',
      help: 'GPUs the price book or the bill says the node has.',
      type: 'gauge',
      samples: gpus,
    },
    {
      name: 'gpufleet_reference_gpu_hourly_cost_dollars',
      help: 'Reference price of one GPU-hour of a GPU model under a named offer, for break-even views.',
      type: 'gauge',
      samples: references.map((r) => ({ labels: { model: r.model, offer: r.offer }, value: r.gpuHourlyCost })),
    },
    {
      name: 'gpufleet_billing_file_up',
      help: 'Whether the last read of a billing input file succeeded (1) or failed or found it gone (0).',
      type: 'gauge',
      samples: files.map((f) => ({ labels: { file: f.file }, value: f.up ? 1 : 0 })),
    },
    {
      name: 'gpufleet_billing_rows_rejected',
      help: 'Rows of a billing input file rejected by its last successful read (see the exporter log for where and why).',
      type: 'gauge',
      samples: files.map((f) => ({ labels: { file: f.file }, value: f.rowsRejected })),
    },
  ];
}
