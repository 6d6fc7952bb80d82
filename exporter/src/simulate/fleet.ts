import { gpuHourlyCost, writeBillingFiles } from './billing-files.js';
import { DcgmNodeRenderer } from './dcgm-text.js';
import { renderDiskstats } from './diskstats-text.js';
import { emptyGpuReading, FleetModel, reportedUseful, usefulBasis } from './fleet-model.js';
import type { Scenario, StragglerCause } from './scenario.js';

/*
 * The simulated fleet as the `simulate` role uses it: per node, the raw inputs a real node would
 * give the exporter (dcgm-exporter's page and /proc/diskstats, at any time t), plus the fleet's
 * billing files, plus the numbers the exporter and the recording rules should arrive at.
 */

export interface SimulatedNode {
  readonly name: string;
  /** A dead node's targets answer 503: the exporter must report it down, not serve old numbers. */
  readonly dead: boolean;
  /** dcgm-exporter /metrics text at `nowMs`, in the node's dcgm-exporter generation. */
  dcgmText(nowMs: number): string;
  /** /proc/diskstats text at `nowMs`. */
  diskstatsText(nowMs: number): string;
  /** Model and serial of an NVMe namespace, as /sys/block/<device>/device/{model,serial}; "" when unknown. */
  deviceInfo(device: string): { model: string; serial: string };
}

/** What the fleet's numbers should be at one instant, computed from the scenario without the exporter. */
export interface FleetExpectation {
  atMs: number;
  /** $/h of every priced GPU, dead nodes included (billing does not know a node died). */
  costPerHour: number;
  /** $/h of the GPUs of live nodes. */
  liveCostPerHour: number;
  /** Σ of the useful ratio the exporter reports, over the GPUs of live nodes. */
  usefulSum: number;
  /** liveCostPerHour ÷ usefulSum. */
  costPerUsefulGpuHour: number;
  /** $/h of live GPUs whose useful ratio is under the threshold, by why they idle. */
  idleWaste: { unallocated: number; allocatedIdle: number };
  idleThreshold: number;
  stragglers: Array<{ workload: string; node: string; cause: StragglerCause }>;
  deadNodes: string[];
  nodes: Array<{
    node: string;
    dead: boolean;
    gpuHourlyCost: number;
    basis: 'sm_active' | 'graphics_active' | 'utilization';
    /** Useful ratio per GPU as the exporter reports it. */
    useful: number[];
  }>;
}

export interface SimulatedFleet {
  readonly cluster: string;
  readonly scenario: Scenario;
  /** Epoch ms the counters start from. */
  readonly startMs: number;
  readonly nodes: readonly SimulatedNode[];
  /** Writes pricebook.yaml and one FOCUS CSV per provider of rented nodes into `dir`. */
  writeBillingFiles(dir: string, nowMs: number): Promise<{ priceBook: string; focus: string[] }>;
  expected(nowMs: number, options?: { idleThreshold?: number }): FleetExpectation;
}

/** Default threshold under which a GPU counts as idle in `expected` (the recording rules own the real one). */
export const DEFAULT_IDLE_THRESHOLD = 0.05;

export function createSimulatedFleet(scenario: Scenario, options: { startMs?: number } = {}): SimulatedFleet {
  const startMs = options.startMs ?? Date.now();
  const model = new FleetModel(scenario, startMs);

  const nodes: SimulatedNode[] = model.nodes.map((node) => {
    const renderer = new DcgmNodeRenderer(model, node);
    const devices = new Map(node.nvme.map((d) => [d.name, { model: d.model, serial: d.serial }]));
    // Plain closures, not methods: callers keep references to these functions on their own.
    return {
      name: node.name,
      dead: node.scenario.dead,
      dcgmText: (nowMs: number) => renderer.render(nowMs),
      diskstatsText: (nowMs: number) => renderDiskstats(model, node, nowMs),
      deviceInfo: (device: string) => devices.get(device) ?? { model: '', serial: '' },
    };
  });

  function expected(nowMs: number, opts: { idleThreshold?: number } = {}): FleetExpectation {
    const idleThreshold = opts.idleThreshold ?? DEFAULT_IDLE_THRESHOLD;
    const reading = emptyGpuReading();
    const result: FleetExpectation = {
      atMs: nowMs,
      costPerHour: 0,
      liveCostPerHour: 0,
      usefulSum: 0,
      costPerUsefulGpuHour: 0,
      idleWaste: { unallocated: 0, allocatedIdle: 0 },
      idleThreshold,
      stragglers: scenario.workloads.flatMap((w) => w.stragglers.map((s) => ({ workload: w.name, node: s.node, cause: s.cause }))),
      deadNodes: scenario.nodes.filter((n) => n.dead).map((n) => n.name),
      nodes: [],
    };
    for (const node of model.nodes) {
      const sn = node.scenario;
      const price = gpuHourlyCost(sn.billing, sn.gpuCount);
      const fields = sn.dcgm.fields;
      const useful = node.gpus.map((gpu) => asRendered(reportedUseful(model.readGpu(node, gpu, nowMs, reading), fields)));
      result.nodes.push({ node: node.name, dead: sn.dead, gpuHourlyCost: price, basis: usefulBasis(fields), useful });
      result.costPerHour += price * sn.gpuCount;
      if (sn.dead) continue;
      result.liveCostPerHour += price * sn.gpuCount;
      node.gpus.forEach((gpu, i) => {
        const u = useful[i]!;
        result.usefulSum += u;
        if (u >= idleThreshold) return;
        if (gpu.assignment === undefined) result.idleWaste.unallocated += price;
        else result.idleWaste.allocatedIdle += price;
      });
    }
    result.costPerUsefulGpuHour = result.usefulSum > 0 ? result.liveCostPerHour / result.usefulSum : Infinity;
    return result;
  }

  return {
    cluster: scenario.cluster,
    scenario,
    startMs,
    nodes,
    writeBillingFiles: (dir: string, nowMs: number) => writeBillingFiles(scenario, dir, nowMs),
    expected,
  };
}

/** The value after dcgm-exporter's six-decimal formatting, as a scrape would read it. */
function asRendered(value: number): number {
  return Number(value.toFixed(6));
}
