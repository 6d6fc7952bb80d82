import {
  emptyGpuReading,
  type FleetModel,
  type GpuReading,
  type ModelGpu,
  type ModelNode,
} from './fleet-model.js';
import type { DcgmProfile } from './scenario.js';

/*
 * Renders a simulated node's dcgm-exporter /metrics page in the generation its scenario names:
 * - 3.3: `Hostname` label, no pci_bus_id, DCGM_FI_DRIVER_VERSION label, PCIe KB counters,
 *   DCGM_FI_DEV_CLOCK_THROTTLE_REASONS;
 * - 4.2 (4.0 – 4.8.2): `Hostname`, pci_bus_id, default profiling fields, DCGM_EXP_XID_ERRORS_COUNT;
 * - 4.8 (≥ 4.8.3): lowercase `hostname`, DCGM_FI_DEV_FB_RESERVED, DCGM_EXP_XID_ERRORS_TOTAL,
 *   DCGM_FI_DEV_CLOCKS_EVENT_REASONS;
 * - 4.9: DCGM 4.7 field names, base units (Hz, J, 0–1 ratios, bytes, B/s) and the
 *   DCGM_FI_SYSTEM_DRIVER_VERSION label.
 * Label order follows dcgm-exporter's template: gpu, UUID, pci_bus_id, device, modelName, host,
 * then label fields, then attributes (container, err_code, err_msg, hpc_job, namespace, pod, …) sorted.
 * Values are formatted as dcgm-exporter does: integers plain, doubles with six decimals.
 *
 * Of the 4.9 names, DCGM_FI_DEV_FB_{USED,FREE,RESERVED}_BYTES follow the DCGM 4.7 pattern of
 * DCGM_FI_DEV_BAR1_*_BYTES and DCGM_FI_DEV_FB_CAPACITY_BYTES; memory-copy, encoder and decoder
 * utilisation are left out of 4.9 because their new names could not be confirmed.
 */

/** DCGM's int64 "no data" sentinel, printed as dcgm-exporter does when it passes one through. */
export const DCGM_INT64_BLANK = '9223372036854775794';
/** dcgm-exporter's default XID counting window. */
export const XID_WINDOW_MS = 300_000;

type Generation = DcgmProfile['version'];

interface FieldDef {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  /** Whether a node with this profile exports the field. */
  when: (p: DcgmProfile) => boolean;
  value: (r: GpuReading, p: DcgmProfile) => string;
}

const v49 = (p: DcgmProfile): boolean => p.version === '4.9';
const legacy = (p: DcgmProfile): boolean => p.version !== '4.9';
const is = (...versions: Generation[]) => (p: DcgmProfile): boolean => versions.includes(p.version);
const profiling = (p: DcgmProfile): boolean => p.fields !== 'basic';
const smProfiling = (p: DcgmProfile): boolean => p.fields === 'dcp_sm';
const int = (v: number): string => String(Math.round(v));
const dbl = (v: number): string => v.toFixed(6);
const MIB = 1024 * 1024;

/** Every device field the simulator can export, in dcgm-exporter's counter-file order. */
const FIELDS: readonly FieldDef[] = [
  { name: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'Streaming multiprocessor clock (MHz).', when: legacy, value: (r) => int(r.smClockMHz) },
  { name: 'DCGM_FI_DEV_SM_CLOCK_HERTZ', type: 'gauge', help: 'Streaming multiprocessor clock (Hz).', when: v49, value: (r) => int(r.smClockMHz * 1e6) },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Device memory clock (MHz).', when: legacy, value: (r) => int(r.memoryClockMHz) },
  { name: 'DCGM_FI_DEV_MEMORY_CLOCK_HERTZ', type: 'gauge', help: 'Device memory clock (Hz).', when: v49, value: (r) => int(r.memoryClockMHz * 1e6) },
  {
    name: 'DCGM_FI_DEV_MEMORY_TEMP',
    type: 'gauge',
    help: 'Device memory temperature (C).',
    when: legacy,
    value: (r, p) => (p.sentinelMemoryTemp ? DCGM_INT64_BLANK : int(r.memoryTempC)),
  },
  {
    name: 'DCGM_FI_DEV_MEMORY_TEMP_CELSIUS',
    type: 'gauge',
    help: 'Device memory temperature (C).',
    when: v49,
    value: (r, p) => (p.sentinelMemoryTemp ? DCGM_INT64_BLANK : int(r.memoryTempC)),
  },
  { name: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU die temperature (C).', when: legacy, value: (r) => int(r.gpuTempC) },
  { name: 'DCGM_FI_DEV_GPU_TEMP_CELSIUS', type: 'gauge', help: 'GPU die temperature (C).', when: v49, value: (r) => int(r.gpuTempC) },
  { name: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Board power draw (W).', when: legacy, value: (r) => dbl(r.powerWatts) },
  { name: 'DCGM_FI_DEV_BOARD_POWER_WATTS', type: 'gauge', help: 'Board power draw (W).', when: v49, value: (r) => dbl(r.powerWatts) },
  {
    name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    type: 'counter',
    help: 'Energy used since the driver loaded (mJ).',
    when: legacy,
    value: (r) => int(r.energyJoules * 1000),
  },
  {
    name: 'DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL',
    type: 'counter',
    help: 'Energy used since the driver loaded (J).',
    when: v49,
    value: (r) => dbl(r.energyJoules),
  },
  {
    name: 'DCGM_FI_DEV_PCIE_TX_THROUGHPUT',
    type: 'counter',
    help: 'PCIe bytes sent since boot (KB).',
    when: is('3.3'),
    value: (r) => int(r.pcieTxTotalKB),
  },
  {
    name: 'DCGM_FI_DEV_PCIE_RX_THROUGHPUT',
    type: 'counter',
    help: 'PCIe bytes received since boot (KB).',
    when: is('3.3'),
    value: (r) => int(r.pcieRxTotalKB),
  },
  { name: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', type: 'counter', help: 'PCIe replays since boot.', when: legacy, value: (r) => int(r.pcieReplayTotal) },
  { name: 'DCGM_FI_DEV_PCIE_REPLAY_TOTAL', type: 'counter', help: 'PCIe replays since boot.', when: v49, value: (r) => int(r.pcieReplayTotal) },
  { name: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'Time a kernel was running (%).', when: legacy, value: (r) => int(r.utilization * 100) },
  { name: 'DCGM_FI_DEV_GPU_UTIL_RATIO', type: 'gauge', help: 'Time a kernel was running (0-1).', when: v49, value: (r) => dbl(r.utilization) },
  {
    name: 'DCGM_FI_DEV_MEM_COPY_UTIL',
    type: 'gauge',
    help: 'Time device memory was read or written (%).',
    when: legacy,
    value: (r) => int(r.memoryCopyUtilization * 100),
  },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Video encoder busy time (%).', when: legacy, value: () => '0' },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Video decoder busy time (%).', when: legacy, value: () => '0' },
  // The XID fields (DCGM_FI_DEV_XID_ERRORS / DCGM_FI_DEV_XID_ERROR) carry err_code/err_msg and are rendered apart.
  { name: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Free device memory (MiB).', when: legacy, value: (r) => int(r.fbFreeMiB) },
  { name: 'DCGM_FI_DEV_FB_FREE_BYTES', type: 'gauge', help: 'Free device memory (bytes).', when: v49, value: (r) => int(r.fbFreeMiB * MIB) },
  { name: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Used device memory (MiB).', when: legacy, value: (r) => int(r.fbUsedMiB) },
  { name: 'DCGM_FI_DEV_FB_USED_BYTES', type: 'gauge', help: 'Used device memory (bytes).', when: v49, value: (r) => int(r.fbUsedMiB * MIB) },
  { name: 'DCGM_FI_DEV_FB_RESERVED', type: 'gauge', help: 'Device memory reserved by the driver (MiB).', when: is('4.8'), value: (r) => int(r.fbReservedMiB) },
  {
    name: 'DCGM_FI_DEV_FB_RESERVED_BYTES',
    type: 'gauge',
    help: 'Device memory reserved by the driver (bytes).',
    when: v49,
    value: (r) => int(r.fbReservedMiB * MIB),
  },
  {
    name: 'DCGM_FI_DEV_FB_CAPACITY_BYTES',
    type: 'gauge',
    help: 'Device memory capacity (bytes).',
    when: v49,
    value: (r) => int(r.fbTotalMiB * MIB),
  },
  {
    // Typed counter by dcgm-exporter although the value is a rate in MB/s.
    name: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    type: 'counter',
    help: 'NVLink traffic over all links (MB/s).',
    when: legacy,
    value: (r) => int(r.nvlinkBytesPerSecond / 1e6),
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL',
    type: 'counter',
    help: 'NVLink traffic over all links (B/s).',
    when: v49,
    value: (r) => int(r.nvlinkBytesPerSecond),
  },
  { name: 'DCGM_FI_DEV_VGPU_LICENSE_STATUS', type: 'gauge', help: 'vGPU licence state.', when: legacy, value: () => '0' },
  {
    name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Memory rows remapped after uncorrectable errors.',
    when: legacy,
    value: () => '0',
  },
  { name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Memory rows remapped after correctable errors.', when: legacy, value: () => '0' },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether a memory row remap failed (1) or not (0).', when: legacy, value: () => '0' },
  {
    name: 'DCGM_FI_DEV_ROW_REMAP_UNCORRECTABLE_TOTAL',
    type: 'counter',
    help: 'Memory rows remapped after uncorrectable errors.',
    when: v49,
    value: () => '0',
  },
  { name: 'DCGM_FI_DEV_ROW_REMAP_CORRECTABLE_TOTAL', type: 'counter', help: 'Memory rows remapped after correctable errors.', when: v49, value: () => '0' },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILED', type: 'gauge', help: 'Whether a memory row remap failed (1) or not (0).', when: v49, value: () => '0' },
  {
    name: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
    type: 'gauge',
    help: 'Reasons the clocks are held down now (bitmask).',
    when: is('3.3', '4.2'),
    value: (r) => int(r.clockEventMask),
  },
  {
    name: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
    type: 'gauge',
    help: 'Reasons the clocks are held down now (bitmask).',
    when: is('4.8', '4.9'),
    value: (r) => int(r.clockEventMask),
  },
  {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    type: 'gauge',
    help: 'Fraction of time the graphics or compute engine was busy.',
    when: (p) => legacy(p) && profiling(p),
    value: (r) => dbl(r.graphicsActive),
  },
  {
    name: 'DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO',
    type: 'gauge',
    help: 'Fraction of time the graphics or compute engine was busy.',
    when: (p) => v49(p) && profiling(p),
    value: (r) => dbl(r.graphicsActive),
  },
  {
    name: 'DCGM_FI_PROF_SM_ACTIVE',
    type: 'gauge',
    help: 'Fraction of cycles an SM had a warp resident, averaged over SMs.',
    when: (p) => legacy(p) && smProfiling(p),
    value: (r) => dbl(r.smActive),
  },
  {
    name: 'DCGM_FI_PROF_SM_UTIL_RATIO',
    type: 'gauge',
    help: 'Fraction of cycles an SM had a warp resident, averaged over SMs.',
    when: (p) => v49(p) && smProfiling(p),
    value: (r) => dbl(r.smActive),
  },
  {
    name: 'DCGM_FI_PROF_SM_OCCUPANCY',
    type: 'gauge',
    help: 'Resident warps relative to the maximum, averaged over SMs.',
    when: (p) => legacy(p) && smProfiling(p),
    value: (r) => dbl(r.smOccupancy),
  },
  {
    name: 'DCGM_FI_PROF_SM_OCCUPANCY_RATIO',
    type: 'gauge',
    help: 'Resident warps relative to the maximum, averaged over SMs.',
    when: (p) => v49(p) && smProfiling(p),
    value: (r) => dbl(r.smOccupancy),
  },
  {
    name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    type: 'gauge',
    help: 'Fraction of cycles the tensor pipes were busy.',
    when: (p) => legacy(p) && profiling(p),
    value: (r) => dbl(r.tensorActive),
  },
  {
    name: 'DCGM_FI_PROF_TENSOR_UTIL_RATIO',
    type: 'gauge',
    help: 'Fraction of cycles the tensor pipes were busy.',
    when: (p) => v49(p) && profiling(p),
    value: (r) => dbl(r.tensorActive),
  },
  {
    name: 'DCGM_FI_PROF_DRAM_ACTIVE',
    type: 'gauge',
    help: 'Fraction of cycles the device memory interface moved data.',
    when: (p) => legacy(p) && profiling(p),
    value: (r) => dbl(r.dramActive),
  },
  {
    name: 'DCGM_FI_PROF_DRAM_UTIL_RATIO',
    type: 'gauge',
    help: 'Fraction of cycles the device memory interface moved data.',
    when: (p) => v49(p) && profiling(p),
    value: (r) => dbl(r.dramActive),
  },
  {
    name: 'DCGM_FI_PROF_PCIE_TX_BYTES',
    type: 'gauge',
    help: 'PCIe transmit rate including protocol overhead (B/s).',
    when: profiling,
    value: (r) => int(r.pcieTxBytesPerSecond),
  },
  {
    name: 'DCGM_FI_PROF_PCIE_RX_BYTES',
    type: 'gauge',
    help: 'PCIe receive rate including protocol overhead (B/s).',
    when: profiling,
    value: (r) => int(r.pcieRxBytesPerSecond),
  },
];

/** Text of the XID error codes dcgm-exporter puts in `err_msg` (NVIDIA's XID catalogue). */
const XID_MESSAGES: Readonly<Record<number, string>> = {
  0: 'No Error',
  13: 'Graphics Engine Exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  48: 'Double Bit ECC Error',
  63: 'ECC page retirement or row remapping recording event',
  64: 'ECC page retirement or row remapper recording failure',
  74: 'NVLINK Error',
  79: 'GPU has fallen off the bus',
  92: 'High single-bit ECC error rate',
  94: 'Contained ECC error',
  95: 'Uncontained ECC error',
  119: 'GSP RPC Timeout',
  120: 'GSP Error',
};

/** Everything about one GPU's series that does not change between scrapes. */
interface GpuLabels {
  gpu: ModelGpu;
  /** gpu … host labels and the driver label. */
  head: string;
  /** Attributes sorting before err_code (container). */
  attrsBeforeErr: string;
  /** Attributes sorting after err_msg (hpc_job, namespace, pod). */
  attrsAfterErr: string;
  /** The full label set of an ordinary series. */
  all: string;
}

/** Renders one node's page; built once per node, called on every scrape. */
export class DcgmNodeRenderer {
  private readonly fields: FieldDef[];
  private readonly headers: string[];
  private readonly labels: GpuLabels[];
  private readonly readings: GpuReading[];
  private readonly profile: DcgmProfile;

  constructor(
    private readonly model: FleetModel,
    private readonly node: ModelNode,
  ) {
    this.profile = node.scenario.dcgm;
    this.fields = FIELDS.filter((f) => f.when(this.profile));
    this.headers = this.fields.map((f) => header(f.name, f.help, f.type));
    this.labels = node.gpus.map((gpu) => gpuLabels(node, gpu));
    this.readings = node.gpus.map(() => emptyGpuReading());
  }

  render(tMs: number): string {
    const { model, node, profile, labels, readings } = this;
    for (let i = 0; i < labels.length; i++) model.readGpu(node, labels[i]!.gpu, tMs, readings[i]!);

    const out: string[] = [];
    for (let f = 0; f < this.fields.length; f++) {
      const field = this.fields[f]!;
      out.push(this.headers[f]!);
      const prefix = `${field.name}{`;
      for (let i = 0; i < labels.length; i++) out.push(`${prefix}${labels[i]!.all}} ${field.value(readings[i]!, profile)}`);
    }
    this.renderLastXid(out);
    this.renderXidCounters(out, tMs);
    return out.join('\n') + '\n';
  }

  private renderLastXid(out: string[]): void {
    const name = this.profile.version === '4.9' ? 'DCGM_FI_DEV_XID_ERROR' : 'DCGM_FI_DEV_XID_ERRORS';
    out.push(header(name, 'Code of the most recent XID error (0: none).', 'gauge'));
    for (let i = 0; i < this.labels.length; i++) {
      const l = this.labels[i]!;
      const code = this.readings[i]!.lastXid;
      const err = `,err_code="${code}",err_msg="${XID_MESSAGES[code] ?? 'Unknown Error'}"`;
      out.push(`${name}{${l.head}${l.attrsBeforeErr}${err}${l.attrsAfterErr}} ${code}`);
    }
  }

  private renderXidCounters(out: string[], tMs: number): void {
    const version = this.profile.version;
    if (version === '3.3') return;
    if (version === '4.2') {
      // XIDs seen in the last window, one series per code; a GPU without any gets a 0 without xid.
      out.push(header('DCGM_EXP_XID_ERRORS_COUNT', 'XID errors in the counting window.', 'gauge'));
      const window = `,window_size_in_ms="${XID_WINDOW_MS}"`;
      for (const l of this.labels) {
        const seen = this.model.xidCounts(l.gpu, tMs, XID_WINDOW_MS).filter((x) => x.inWindow > 0);
        if (seen.length === 0) out.push(`DCGM_EXP_XID_ERRORS_COUNT{${l.all}${window}} 0`);
        for (const x of seen) out.push(`DCGM_EXP_XID_ERRORS_COUNT{${l.all}${window},xid="${x.code}"} ${x.inWindow}`);
      }
      return;
    }
    // ≥ 4.8.3: a cumulative counter per code, a series only once that code has happened.
    const lines: string[] = [];
    for (const l of this.labels) {
      for (const x of this.model.xidCounts(l.gpu, tMs, XID_WINDOW_MS)) lines.push(`DCGM_EXP_XID_ERRORS_TOTAL{${l.all},xid="${x.code}"} ${x.total}`);
    }
    if (lines.length === 0) return;
    out.push(header('DCGM_EXP_XID_ERRORS_TOTAL', 'XID errors since the exporter started.', 'counter'), ...lines);
  }
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}`;
}

function gpuLabels(node: ModelNode, gpu: ModelGpu): GpuLabels {
  const p = node.scenario.dcgm;
  const host = p.hostname === 'exporter_pod' ? node.exporterPod : node.name;
  const hostLabel = p.version === '4.8' || p.version === '4.9' ? 'hostname' : 'Hostname';
  const driverLabel = p.version === '4.9' ? 'DCGM_FI_SYSTEM_DRIVER_VERSION' : 'DCGM_FI_DRIVER_VERSION';
  const pci = p.version === '3.3' ? '' : `,pci_bus_id="${gpu.pciBusId}"`;
  const head =
    `gpu="${gpu.index}",UUID="${gpu.uuid}"${pci},device="nvidia${gpu.index}",modelName="${node.scenario.model}",` +
    `${hostLabel}="${host}",${driverLabel}="${p.driver}"`;
  const a = gpu.assignment;
  const attrsBeforeErr = a?.container !== undefined ? `,container="${a.container}"` : '';
  let attrsAfterErr = '';
  if (a?.hpcJob !== undefined) attrsAfterErr += `,hpc_job="${a.hpcJob}"`;
  if (a?.namespace !== undefined) attrsAfterErr += `,namespace="${a.namespace}"`;
  if (a?.pod !== undefined) attrsAfterErr += `,pod="${a.pod}"`;
  return { gpu, head, attrsBeforeErr, attrsAfterErr, all: head + attrsBeforeErr + attrsAfterErr };
}
