import { hashInts, hashString, mulberry32, randomHex, unitNoise } from './random.js';
import type { DcgmFieldSet, GpuAssignment, Scenario, ScenarioNode, Straggler, XidSchedule } from './scenario.js';

/*
 * What every simulated GPU and NVMe device reads at time t. Everything is a pure function of the
 * scenario, its seed and t: gauges from the workload's mean, a shared periodic swing and hashed
 * noise; counters in closed form (rate × time since boot), so any t gives consistent, monotonic
 * values without keeping state, and two processes simulating the same scenario agree.
 */

/** DCGM clock-event (throttle) reason bits. */
export const CLOCK_EVENT = {
  gpuIdle: 0x1,
  swPowerCap: 0x4,
  hwSlowdown: 0x8,
  swThermal: 0x20,
  hwThermal: 0x40,
  hwPowerBrake: 0x80,
} as const;

/** Noise is redrawn every this many milliseconds: scrapes within one bucket see the same values. */
export const NOISE_BUCKET_MS = 15_000;

/** The XID a straggler with cause `xid` keeps raising: GSP RPC timeout, which stalls the GPU. */
export const STRAGGLER_XID: Readonly<XidSchedule> = { gpu: 0, code: 119, atS: 60, everyS: 300 };

/** One GPU's readings, in the units DCGM reports before dcgm-exporter 4.9 changed them. */
export interface GpuReading {
  /** Ratios 0–1. */
  smActive: number;
  smOccupancy: number;
  graphicsActive: number;
  tensorActive: number;
  dramActive: number;
  /** Whole percent as a 0–1 ratio (DCGM_FI_DEV_GPU_UTIL is an integer percentage). */
  utilization: number;
  memoryCopyUtilization: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
  fbReservedMiB: number;
  fbTotalMiB: number;
  powerWatts: number;
  /** Since boot. */
  energyJoules: number;
  gpuTempC: number;
  memoryTempC: number;
  smClockMHz: number;
  memoryClockMHz: number;
  clockEventMask: number;
  pcieTxBytesPerSecond: number;
  pcieRxBytesPerSecond: number;
  /** Since boot, in KB (the old DCGM_FI_DEV_PCIE_*_THROUGHPUT counters). */
  pcieTxTotalKB: number;
  pcieRxTotalKB: number;
  nvlinkBytesPerSecond: number;
  pcieReplayTotal: number;
  /** Code of the last XID, 0 when none happened. */
  lastXid: number;
}

export function emptyGpuReading(): GpuReading {
  return {
    smActive: 0,
    smOccupancy: 0,
    graphicsActive: 0,
    tensorActive: 0,
    dramActive: 0,
    utilization: 0,
    memoryCopyUtilization: 0,
    fbUsedMiB: 0,
    fbFreeMiB: 0,
    fbReservedMiB: 0,
    fbTotalMiB: 0,
    powerWatts: 0,
    energyJoules: 0,
    gpuTempC: 0,
    memoryTempC: 0,
    smClockMHz: 0,
    memoryClockMHz: 0,
    clockEventMask: 0,
    pcieTxBytesPerSecond: 0,
    pcieRxBytesPerSecond: 0,
    pcieTxTotalKB: 0,
    pcieRxTotalKB: 0,
    nvlinkBytesPerSecond: 0,
    pcieReplayTotal: 0,
    lastXid: 0,
  };
}

export interface XidCount {
  code: number;
  /** Occurrences since the fleet started (what DCGM_EXP_XID_ERRORS_TOTAL counts). */
  total: number;
  /** Occurrences within the window ending at t (what DCGM_EXP_XID_ERRORS_COUNT reports). */
  inWindow: number;
}

/** Raw /proc/diskstats fields of one device, before the kernel's 32-bit millisecond wrap. */
export interface DiskReading {
  readsCompleted: number;
  readsMerged: number;
  sectorsRead: number;
  readTimeMs: number;
  writesCompleted: number;
  writesMerged: number;
  sectorsWritten: number;
  writeTimeMs: number;
  ioInProgress: number;
  ioTimeMs: number;
  weightedIoTimeMs: number;
  discardsCompleted: number;
  sectorsDiscarded: number;
  discardTimeMs: number;
  flushesCompleted: number;
  flushTimeMs: number;
}

export interface ModelGpu {
  index: number;
  uuid: string;
  pciBusId: string;
  assignment: GpuAssignment | undefined;
  /** Integer key for hashed noise. */
  key: number;
  /** Phase of the workload's periodic swing, shared by all GPUs of the workload (radians). */
  phase: number;
  /** Mean SM activity including any straggler slowdown (0 when unallocated). */
  meanActivity: number;
  /** Per-GPU constant offsets in [0, 1). */
  trait: number;
  xids: XidSchedule[];
}

export interface ModelNvmeDevice {
  name: string;
  major: number;
  minor: number;
  model: string;
  serial: string;
  readBytesPerSecond: number;
  writeBytesPerSecond: number;
  busyFraction: number;
  readLatencyMs: number;
  writeLatencyMs: number;
}

export interface ModelNode {
  scenario: ScenarioNode;
  name: string;
  gpus: ModelGpu[];
  nvme: ModelNvmeDevice[];
  /** Seconds the node had been up when the fleet started. */
  uptimeAtStartS: number;
  /** dcgm-exporter pod name used as hostname label in Kubernetes deployments. */
  exporterPod: string;
}

const BUSY_READ_REQUEST_BYTES = 128 * 1024;
const WRITE_REQUEST_BYTES = 256 * 1024;
const NVME_DEVICE_BANDWIDTH = 3.5e9;
const BACKGROUND_READ_BPS = 150_000;
const BACKGROUND_WRITE_BPS = 900_000;
const HGX_PCI_BUSES = ['18', '2A', '3A', '5D', '9A', 'AB', 'BA', 'DB'];

export class FleetModel {
  readonly seed: number;
  readonly startMs: number;
  readonly nodes: ModelNode[];

  constructor(scenario: Scenario, startMs: number) {
    this.seed = scenario.seed;
    this.startMs = startMs;
    const phases = new Map<string, number>();
    for (const w of scenario.workloads) phases.set(w.name, 2 * Math.PI * unitNoise(this.seed, hashString(w.name), 7, 0));
    this.nodes = scenario.nodes.map((node) => this.buildNode(node, phases));
  }

  private buildNode(node: ScenarioNode, phases: ReadonlyMap<string, number>): ModelNode {
    const next = mulberry32(hashInts(this.seed, hashString(node.name), 0x5eed));
    const uptimeAtStartS = Math.floor((3 + 57 * next()) * 86_400);
    const gpus: ModelGpu[] = node.gpus.map((assignment, index) => {
      const uuid = `GPU-${randomHex(next, 8)}-${randomHex(next, 4)}-${randomHex(next, 4)}-${randomHex(next, 4)}-${randomHex(next, 12)}`;
      const bus = HGX_PCI_BUSES[index] ?? (0x10 + index * 0x10).toString(16).toUpperCase().padStart(2, '0');
      const slowdown = node.straggler?.slowdown ?? 0;
      const xids = node.xids.filter((x) => x.gpu === index);
      if (node.straggler?.cause === 'xid' && index === STRAGGLER_XID.gpu) xids.push({ ...STRAGGLER_XID });
      return {
        index,
        uuid,
        pciBusId: `00000000:${bus.slice(-2)}:00.0`,
        assignment,
        key: hashInts(hashString(node.name), index),
        phase: assignment ? (phases.get(assignment.workload) ?? 0) : 0,
        meanActivity: assignment ? assignment.useful * (1 - slowdown) : 0,
        trait: next(),
        xids,
      };
    });
    const nvme = this.buildNvme(node, next);
    const exporterPod = `dcgm-exporter-${randomAlnum(next, 5)}`;
    return { scenario: node, name: node.name, gpus, nvme, uptimeAtStartS, exporterPod };
  }

  private buildNvme(node: ScenarioNode, next: () => number): ModelNvmeDevice[] {
    const devices: ModelNvmeDevice[] = [];
    const count = node.nvme.devices;
    const stalled = node.straggler?.cause === 'nvme_stall';
    // Striping is never perfectly even: each device takes its share ± 5 %, the shares summing to the node's traffic.
    const weights = Array.from({ length: count }, () => 0.95 + 0.1 * next());
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < count; i++) {
      const share = weights[i]! / total;
      // A stalled device is busy all the time yet moves almost nothing: requests queue behind it.
      const read = (stalled ? node.nvmeReadBytesPerSecond * 0.01 : node.nvmeReadBytesPerSecond) * share + BACKGROUND_READ_BPS;
      const write = node.nvmeWriteBytesPerSecond * share + BACKGROUND_WRITE_BPS;
      const busy = stalled ? 0.995 : Math.min(0.95, (read + write) / NVME_DEVICE_BANDWIDTH + 0.002);
      devices.push({
        name: `nvme${i}n1`,
        major: 259,
        minor: i * 2,
        model: node.nvme.model,
        serial: `S${randomAlnum(next, 7).toUpperCase()}${String(Math.floor(next() * 1e6)).padStart(6, '0')}`,
        readBytesPerSecond: read,
        writeBytesPerSecond: write,
        busyFraction: busy,
        readLatencyMs: stalled ? 45 : 0.16 + 0.3 * busy,
        writeLatencyMs: stalled ? 12 : 0.03 + 0.05 * busy,
      });
    }
    return devices;
  }

  /** Seconds since the fleet started (0 before it). */
  elapsedSeconds(tMs: number): number {
    return Math.max(0, (tMs - this.startMs) / 1000);
  }

  /** SM activity of a GPU at t: the workload's mean, its periodic swing and noise. */
  activity(node: ModelNode, gpu: ModelGpu, tMs: number): number {
    const a = gpu.assignment;
    if (a === undefined) return 0;
    let value = gpu.meanActivity;
    if (a.wobble > 0) value *= 1 + a.wobble * Math.sin((2 * Math.PI * tMs) / (a.periodS * 1000) + gpu.phase);
    // A nearly idle GPU (a notebook holding it) is nearly idle every second: its noise shrinks with it.
    const noise = node.scenario.noise * Math.min(1, gpu.meanActivity / 0.2);
    if (noise > 0) value += noise * (2 * unitNoise(this.seed, gpu.key, Math.floor(tMs / NOISE_BUCKET_MS), 1) - 1);
    return clamp01(value);
  }

  /** Fills `out` with the readings of one GPU at t and returns it. */
  readGpu(node: ModelNode, gpu: ModelGpu, tMs: number, out: GpuReading): GpuReading {
    const spec = node.scenario.gpuSpec;
    const straggler = node.scenario.straggler;
    const assigned = gpu.assignment !== undefined;
    const s = this.activity(node, gpu, tMs);
    const jitter = node.scenario.noise > 0 ? 2 * unitNoise(this.seed, gpu.key, Math.floor(tMs / NOISE_BUCKET_MS), 2) - 1 : 0;
    const elapsedS = this.elapsedSeconds(tMs);
    const sinceBootS = node.uptimeAtStartS + elapsedS;

    out.smActive = s;
    out.smOccupancy = s * 0.45;
    out.graphicsActive = s === 0 ? 0 : Math.min(1, s * 1.08);
    out.tensorActive = s * 0.62;
    out.dramActive = s * 0.48;
    out.utilization = s === 0 ? 0 : Math.min(100, Math.round(s * 115 + 2)) / 100;
    out.memoryCopyUtilization = Math.round(s * 45) / 100;

    out.fbTotalMiB = spec.memoryMiB;
    out.fbReservedMiB = Math.round(spec.memoryMiB * 0.0063);
    out.fbUsedMiB = usedMemoryMiB(gpu, spec.memoryMiB);
    out.fbFreeMiB = spec.memoryMiB - out.fbReservedMiB - out.fbUsedMiB;

    const meanPower = meanPowerWatts(gpu, spec.idleWatts, spec.tdpWatts, straggler);
    // The power limit holds the board at its TDP whatever the noise says.
    out.powerWatts = round3(Math.min(spec.tdpWatts, activePower(s, assigned, spec.idleWatts, spec.tdpWatts, straggler) * (1 + 0.5 * node.scenario.noise * jitter)));
    // Boards of one model differ by a few percent in draw at the same load.
    out.energyJoules = meanPower * (0.98 + 0.04 * gpu.trait) * sinceBootS;

    let temp = assigned ? 30 + 48 * s : 29 + 4 * gpu.trait;
    let memTemp = temp + 6;
    let clock = assigned ? spec.maxSmClockMHz * (1 - 0.02 * gpu.trait) : spec.idleSmClockMHz;
    let mask = s < 0.05 ? CLOCK_EVENT.gpuIdle : s >= 0.5 ? CLOCK_EVENT.swPowerCap : 0;
    if (straggler !== undefined && assigned) {
      switch (straggler.cause) {
        case 'thermal':
          temp = 87 + 3 * gpu.trait;
          memTemp = temp + 9;
          clock = spec.maxSmClockMHz * 0.72;
          mask |= CLOCK_EVENT.swThermal | CLOCK_EVENT.hwThermal;
          break;
        case 'power_brake':
          clock = spec.maxSmClockMHz * 0.5;
          mask |= CLOCK_EVENT.hwPowerBrake;
          break;
        case 'hw_slowdown':
          clock = spec.maxSmClockMHz * 0.55;
          mask |= CLOCK_EVENT.hwSlowdown;
          break;
        default:
          break;
      }
    }
    out.gpuTempC = Math.round(temp + jitter);
    out.memoryTempC = Math.round(memTemp + jitter);
    out.smClockMHz = Math.round(clock / 15) * 15;
    out.memoryClockMHz = spec.memoryClockMHz;
    out.clockEventMask = mask;

    const rates = pcieRates(node, gpu);
    out.pcieRxBytesPerSecond = Math.round(rates.rx * (0.4 + 0.6 * s / Math.max(gpu.meanActivity, 1e-9)) * (1 + 0.1 * jitter));
    out.pcieTxBytesPerSecond = Math.round(rates.tx * (1 + 0.1 * jitter));
    out.pcieRxTotalKB = Math.floor((rates.rx * sinceBootS) / 1024);
    out.pcieTxTotalKB = Math.floor((rates.tx * sinceBootS) / 1024);
    // Collectives move the same bytes per step on every rank: a straggler's links carry the job's
    // traffic (its lost SM activity is not lost traffic), unless the links themselves are the cause.
    const linkActivity = straggler !== undefined && assigned ? s / (1 - straggler.slowdown) : s;
    out.nvlinkBytesPerSecond = Math.round(nvlinkRate(gpu, straggler) * Math.min(1, linkActivity));
    out.pcieReplayTotal = straggler?.cause === 'interconnect' && assigned ? Math.floor(3 * sinceBootS) : 0;
    out.lastXid = lastXid(gpu.xids, elapsedS);
    return out;
  }

  /** XIDs of one GPU that have happened by t, per code. */
  xidCounts(gpu: ModelGpu, tMs: number, windowMs: number): XidCount[] {
    if (gpu.xids.length === 0) return [];
    const elapsedS = this.elapsedSeconds(tMs);
    const windowStartS = this.elapsedSeconds(tMs - windowMs);
    const byCode = new Map<number, XidCount>();
    for (const x of gpu.xids) {
      const total = occurrences(x, elapsedS);
      if (total === 0) continue;
      const inWindow = total - occurrences(x, windowStartS);
      const entry = byCode.get(x.code);
      if (entry === undefined) byCode.set(x.code, { code: x.code, total, inWindow });
      else {
        entry.total += total;
        entry.inWindow += inWindow;
      }
    }
    return [...byCode.values()].sort((a, b) => a.code - b.code);
  }

  /** Raw diskstats fields of one NVMe device at t, unwrapped. */
  readNvme(node: ModelNode, device: ModelNvmeDevice, tMs: number): DiskReading {
    const t = node.uptimeAtStartS + this.elapsedSeconds(tMs);
    return diskReading(device.readBytesPerSecond, device.writeBytesPerSecond, device.busyFraction, device.readLatencyMs, device.writeLatencyMs, t);
  }
}

/**
 * Raw fields of a device that has moved `read`/`write` bytes per second for `seconds` since boot.
 * Each counter is a floor of a linear function of time, so it never goes down as time passes.
 */
export function diskReading(read: number, write: number, busy: number, readLatencyMs: number, writeLatencyMs: number, seconds: number): DiskReading {
  const readBytes = read * seconds;
  const writeBytes = write * seconds;
  const reads = Math.floor(readBytes / BUSY_READ_REQUEST_BYTES + seconds * 2);
  const writes = Math.floor(writeBytes / WRITE_REQUEST_BYTES + seconds * 4);
  const readTimeMs = Math.floor(reads * readLatencyMs);
  const writeTimeMs = Math.floor(writes * writeLatencyMs);
  const discards = Math.floor(seconds / 600);
  const flushes = Math.floor(seconds / 2);
  return {
    readsCompleted: reads,
    readsMerged: Math.floor(reads * 0.01),
    sectorsRead: Math.floor(readBytes / 512),
    readTimeMs,
    writesCompleted: writes,
    writesMerged: Math.floor(writes * 0.2),
    sectorsWritten: Math.floor(writeBytes / 512),
    writeTimeMs,
    ioInProgress: busy > 0.99 ? 31 : Math.round(busy * 4),
    ioTimeMs: Math.floor(busy * seconds * 1000),
    weightedIoTimeMs: readTimeMs + writeTimeMs,
    discardsCompleted: discards,
    sectorsDiscarded: discards * 2048,
    discardTimeMs: discards * 2,
    flushesCompleted: flushes,
    flushTimeMs: Math.floor(flushes * 0.4),
  };
}

/** Occurrences of a scheduled XID by `elapsedS` seconds after the fleet started. */
export function occurrences(x: XidSchedule, elapsedS: number): number {
  if (elapsedS < x.atS) return 0;
  if (x.everyS === undefined) return 1;
  const n = Math.floor((elapsedS - x.atS) / x.everyS) + 1;
  return x.count === undefined ? n : Math.min(n, x.count);
}

function lastXid(schedules: readonly XidSchedule[], elapsedS: number): number {
  let code = 0;
  let latest = -Infinity;
  for (const x of schedules) {
    const n = occurrences(x, elapsedS);
    if (n === 0) continue;
    const at = x.atS + (n - 1) * (x.everyS ?? 0);
    if (at >= latest) {
      latest = at;
      code = x.code;
    }
  }
  return code;
}

/** Memory a GPU holds: a training job fills most of it, an idle notebook a context's worth, nothing holds none. */
function usedMemoryMiB(gpu: ModelGpu, totalMiB: number): number {
  if (gpu.assignment === undefined) return 0;
  if (gpu.assignment.useful < 0.05) return Math.round(1800 + 600 * gpu.trait);
  return Math.round(totalMiB * Math.min(0.92, 0.3 + 0.6 * gpu.assignment.useful));
}

/** Board power at activity s: idle power, plus a context's worth when held, plus load. */
function activePower(s: number, assigned: boolean, idle: number, tdp: number, straggler: Straggler | undefined): number {
  if (!assigned) return idle;
  const power = idle + (tdp - idle) * (0.1 + 0.85 * s);
  return straggler?.cause === 'power_brake' ? Math.min(power, 0.45 * tdp) : power;
}

/** Power without swing or noise: the slope of the energy counter. */
function meanPowerWatts(gpu: ModelGpu, idle: number, tdp: number, straggler: Straggler | undefined): number {
  return activePower(gpu.meanActivity, gpu.assignment !== undefined, idle, tdp, straggler);
}

function pcieRates(node: ModelNode, gpu: ModelGpu): { rx: number; tx: number } {
  if (gpu.assignment === undefined) return { rx: 200_000, tx: 100_000 };
  const stalled = node.scenario.straggler?.cause === 'nvme_stall';
  const input = (stalled ? 0.01 : 1) * (node.scenario.nvmeReadBytesPerSecond / node.scenario.gpuCount);
  // Host traffic follows the workload, not the straggler's slowdown (input is read whether or not the GPU keeps up).
  const load = gpu.assignment.useful;
  return { rx: input * 0.9 + 25e6 * load + 1e6, tx: 15e6 + 60e6 * load };
}

/** NVLink traffic at full activity: collectives of multi-node jobs move far more than single pods. */
function nvlinkRate(gpu: ModelGpu, straggler: Straggler | undefined): number {
  const a = gpu.assignment;
  if (a === undefined) return 0;
  const full = a.kind === 'pods' ? 2e9 : 180e9;
  return straggler?.cause === 'interconnect' ? full * 0.3 : full;
}

/** Which usefulness measure a dcgm-exporter field set offers, best first (as the exporter chooses). */
export function usefulBasis(fields: DcgmFieldSet): 'sm_active' | 'graphics_active' | 'utilization' {
  if (fields === 'dcp_sm') return 'sm_active';
  if (fields === 'dcp') return 'graphics_active';
  return 'utilization';
}

/** The useful ratio the exporter reports for a reading, given the node's field set. */
export function reportedUseful(reading: GpuReading, fields: DcgmFieldSet): number {
  switch (usefulBasis(fields)) {
    case 'sm_active':
      return reading.smActive;
    case 'graphics_active':
      return reading.graphicsActive;
    case 'utilization':
      return reading.utilization;
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function randomAlnum(next: () => number, count: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}
