/**
 * Maps one dcgm-exporter scrape onto the gpufleet GPU contract (DESIGN.md section 3). Pure apart
 * from the XID state it is handed.
 *
 * - One device per (UUID, GPU_I_ID): a whole GPU has gpu_instance "", a MIG instance its GPU_I_ID.
 *   dcgm-exporter repeats every device series once per pod sharing the device; the copies collapse
 *   into one series, and each distinct pod or HPC job becomes one gpufleet_gpu_workload_info.
 * - Series carry node, gpu, uuid and gpu_instance; the rest of the identity lives in
 *   gpufleet_gpu_info, which also has gpu_instance_profile (GPU_I_PROFILE, "" for whole GPUs).
 * - The node label comes from configuration, never from dcgm-exporter's Hostname/hostname label
 *   (in Kubernetes that names the exporter pod).
 * - Identity is taken from every DCGM_* series that names a UUID, also from fields not read here,
 *   so a GPU that only reports unread fields still appears in gpufleet_gpu_info.
 * - Values are converted to base units (fields.ts). DCGM "no data" sentinels, NaN, infinities and
 *   out-of-range values are dropped and reported as problems, never clamped or replaced.
 * - When a device reports one meaning under several names, the preferred name wins silently. Two
 *   different values under the same name for one device are a conflict: both are dropped and
 *   reported, because neither can be trusted over the other.
 */
import type { Labels, MetricFamily, Sample } from '../../exposition/types.js';
import type { ParsedSample } from '../../exposition/parser.js';
import {
  CLOCK_EVENT_REASONS,
  FIELD_ALIASES,
  MEANINGS,
  type FieldAlias,
  type Meaning,
  type ValueCheck,
} from './fields.js';
import { isDcgmBlank } from './sentinel.js';
import type { XidState } from './xid-state.js';

export interface NormaliseInput {
  samples: readonly ParsedSample[];
  /** Node name from configuration. */
  node: string;
  /** Where the samples came from (the target URL); prefixes every problem as `<origin>:<line>: …`. */
  origin: string;
  /** Per-source state that turns the last-XID value into a counter; updated by this call. */
  xidState: XidState;
}

export interface NormaliseResult {
  families: MetricFamily[];
  problems: string[];
}

const MEANING_INDEX = new Map<Meaning, number>(MEANINGS.map((spec, index) => [spec.meaning, index]));
const MEANING_COUNT = MEANINGS.length;

interface ResolvedField {
  alias: FieldAlias;
  index: number;
  check: ValueCheck;
}

const RESOLVED_FIELDS = new Map<string, ResolvedField>(
  [...FIELD_ALIASES].map(([name, alias]) => {
    const index = MEANING_INDEX.get(alias.meaning);
    const spec = MEANINGS[index ?? -1];
    if (index === undefined || spec === undefined) throw new Error(`field table: no meaning for ${name}`);
    return [name, { alias, index, check: spec.check }];
  }),
);

function indexOf(meaning: Meaning): number {
  const index = MEANING_INDEX.get(meaning);
  if (index === undefined) throw new Error(`field table: missing meaning ${meaning}`);
  return index;
}

const UTILIZATION = indexOf('utilization');
const GRAPHICS_ACTIVE = indexOf('graphics_active');
const SM_ACTIVE = indexOf('sm_active');
const CLOCK_EVENTS = indexOf('clock_events');
const XID_LAST = indexOf('xid_last');
const XID_TOTAL = indexOf('xid_total');

interface ValueFamily {
  index: number;
  name: string;
  help: string;
  type: 'gauge' | 'counter';
}

function family(meaning: Meaning, name: string, help: string, type: 'gauge' | 'counter' = 'gauge'): ValueFamily {
  return { index: indexOf(meaning), name, help, type };
}

/** One series per device and meaning, in output order; the three groups frame useful_ratio, throttled and XIDs. */
const ACTIVITY_FAMILIES: readonly ValueFamily[] = [
  family(
    'utilization',
    'gpufleet_gpu_utilization_ratio',
    'Fraction of time a kernel was running on the GPU (DCGM GPU_UTIL).',
  ),
  family(
    'graphics_active',
    'gpufleet_gpu_graphics_active_ratio',
    'Fraction of time the graphics or compute engine was active (DCGM GR_ENGINE_ACTIVE).',
  ),
  family(
    'sm_active',
    'gpufleet_gpu_sm_active_ratio',
    'Fraction of cycles an SM had at least one warp assigned (DCGM SM_ACTIVE).',
  ),
  family(
    'sm_occupancy',
    'gpufleet_gpu_sm_occupancy_ratio',
    'Resident warps relative to the maximum an SM holds (DCGM SM_OCCUPANCY).',
  ),
  family(
    'tensor_active',
    'gpufleet_gpu_tensor_active_ratio',
    'Fraction of cycles the tensor pipe was active (DCGM PIPE_TENSOR_ACTIVE).',
  ),
  family(
    'dram_active',
    'gpufleet_gpu_dram_active_ratio',
    'Fraction of cycles the device memory interface was busy (DCGM DRAM_ACTIVE).',
  ),
];

const DEVICE_FAMILIES: readonly ValueFamily[] = [
  family('memory_used', 'gpufleet_gpu_memory_used_bytes', 'Framebuffer memory in use.'),
  family('memory_free', 'gpufleet_gpu_memory_free_bytes', 'Framebuffer memory free.'),
  family('power', 'gpufleet_gpu_power_watts', 'Board power draw.'),
  family('energy', 'gpufleet_gpu_energy_joules_total', 'Energy consumed since the driver was loaded.', 'counter'),
  family('temperature', 'gpufleet_gpu_temperature_celsius', 'GPU temperature.'),
  family('sm_clock', 'gpufleet_gpu_sm_clock_hertz', 'Current SM clock.'),
];

const LINK_FAMILIES: readonly ValueFamily[] = [
  family(
    'pcie_transmit',
    'gpufleet_gpu_pcie_transmit_bytes_per_second',
    'PCIe transmit rate, protocol headers included.',
  ),
  family('pcie_receive', 'gpufleet_gpu_pcie_receive_bytes_per_second', 'PCIe receive rate, protocol headers included.'),
  family('nvlink', 'gpufleet_gpu_nvlink_bytes_per_second', 'NVLink throughput over all links, transmit plus receive.'),
];

const VALUE_FAMILIES: readonly ValueFamily[] = [...ACTIVITY_FAMILIES, ...DEVICE_FAMILIES, ...LINK_FAMILIES];

/** Usefulness bases, best first (DESIGN.md: sm_active > graphics_active > utilization). */
const USEFUL_BASES: ReadonlyArray<{ index: number; basis: string }> = [
  { index: SM_ACTIVE, basis: 'sm_active' },
  { index: GRAPHICS_ACTIVE, basis: 'graphics_active' },
  { index: UTILIZATION, basis: 'utilization' },
];

interface Workload {
  namespace: string;
  pod: string;
  container: string;
  hpcJob: string;
}

interface Device {
  /** Key for per-device state: unambiguous for any UUID and instance strings. */
  key: string;
  uuid: string;
  instance: string;
  gpu: string;
  model: string;
  pciBusId: string;
  driverVersion: string;
  profile: string;
  identityConflict: boolean;
  values: number[];
  /** Rank of the alias that set values[i]; Infinity when unset. */
  ranks: number[];
  lines: number[];
  conflicted: boolean[];
  xidTotals: Map<number, { value: number; line: number; conflicted: boolean }> | undefined;
  workloads: Map<string, Workload> | undefined;
}

export function normaliseDcgm(input: NormaliseInput): NormaliseResult {
  const { node, origin } = input;
  const problems: string[] = [];
  const devices = new Map<string, Map<string, Device>>();
  const order: Device[] = [];
  // The parser shares one labels object among samples with the same label block, and dcgm-exporter
  // repeats a device's block for each of its fields: resolving each distinct object once spares
  // the label reads, map lookups and identity comparisons for all the others.
  const deviceByLabels = new Map<object, Device | null>();

  for (const sample of input.samples) {
    const name = sample.name;
    if (!name.startsWith('DCGM_')) continue;
    const field = RESOLVED_FIELDS.get(name);
    let device = deviceByLabels.get(sample.labels);
    if (device === undefined) {
      device = resolveDevice(sample, devices, order, origin, problems);
      deviceByLabels.set(sample.labels, device);
    }
    if (device === null) {
      if (field !== undefined) problems.push(`${origin}:${sample.lineNumber}: ${name} has no UUID label, ignored`);
      continue;
    }
    if (field === undefined) continue;

    const value = toBaseUnit(sample, field, origin, problems);
    if (value === undefined) continue;
    if (field.index === XID_TOTAL) recordXidTotal(device, sample, value, origin, problems);
    else recordValue(device, field, value, sample.lineNumber, origin, problems);
  }

  const present = new Set<string>();
  for (const device of order) {
    present.add(device.key);
    if (hasValue(device, XID_LAST)) input.xidState.observe(device.key, device.values[XID_LAST] as number);
  }
  input.xidState.retainOnly(present);

  return { families: buildFamilies(order, node, input.xidState), problems };
}

/** The device a label set belongs to (created on first sight), or null when it names no UUID. */
function resolveDevice(
  sample: ParsedSample,
  devices: Map<string, Map<string, Device>>,
  order: Device[],
  origin: string,
  problems: string[],
): Device | null {
  const labels = sample.labels;
  const uuid = labels['UUID'] ?? labels['uuid'];
  if (uuid === undefined || uuid === '') return null;
  const instance = labels['GPU_I_ID'] ?? '';
  let byInstance = devices.get(uuid);
  if (byInstance === undefined) {
    byInstance = new Map();
    devices.set(uuid, byInstance);
  }
  let device = byInstance.get(instance);
  if (device === undefined) {
    device = newDevice(uuid, instance);
    byInstance.set(instance, device);
    order.push(device);
  }
  mergeIdentity(device, labels, sample.lineNumber, origin, problems);
  collectWorkload(device, labels);
  return device;
}

function newDevice(uuid: string, instance: string): Device {
  return {
    key: `${uuid.length}:${uuid}/${instance}`,
    uuid,
    instance,
    gpu: '',
    model: '',
    pciBusId: '',
    driverVersion: '',
    profile: '',
    identityConflict: false,
    values: new Array<number>(MEANING_COUNT).fill(NaN),
    ranks: new Array<number>(MEANING_COUNT).fill(Infinity),
    lines: new Array<number>(MEANING_COUNT).fill(0),
    conflicted: new Array<boolean>(MEANING_COUNT).fill(false),
    xidTotals: undefined,
    workloads: undefined,
  };
}

/** Fills identity from the first series that has each label; reports (once) a series that disagrees. */
function mergeIdentity(
  device: Device,
  labels: Readonly<Record<string, string>>,
  line: number,
  origin: string,
  problems: string[],
): void {
  const gpu = labels['gpu'] ?? '';
  const model = labels['modelName'] ?? '';
  const pciBusId = labels['pci_bus_id'] ?? '';
  const driverVersion = labels['DCGM_FI_SYSTEM_DRIVER_VERSION'] ?? labels['DCGM_FI_DRIVER_VERSION'] ?? '';
  const profile = labels['GPU_I_PROFILE'] ?? '';
  if (
    gpu === device.gpu &&
    model === device.model &&
    pciBusId === device.pciBusId &&
    driverVersion === device.driverVersion &&
    profile === device.profile
  ) {
    return;
  }
  let conflict = false;
  const pick = (known: string, seen: string): string => {
    if (known === '') return seen;
    if (seen !== '' && seen !== known) conflict = true;
    return known;
  };
  device.gpu = pick(device.gpu, gpu);
  device.model = pick(device.model, model);
  device.pciBusId = pick(device.pciBusId, pciBusId);
  device.driverVersion = pick(device.driverVersion, driverVersion);
  device.profile = pick(device.profile, profile);
  if (conflict && !device.identityConflict) {
    device.identityConflict = true;
    problems.push(
      `${origin}:${line}: identity labels of ${describe(device)} differ from an earlier series; the first ones are kept`,
    );
  }
}

function collectWorkload(device: Device, labels: Readonly<Record<string, string>>): void {
  const pod = labels['pod'] ?? '';
  const hpcJob = labels['hpc_job'] ?? '';
  if (pod === '' && hpcJob === '') return;
  const namespace = labels['namespace'] ?? '';
  const container = labels['container'] ?? '';
  const key = `${namespace.length}:${namespace}${pod.length}:${pod}${container.length}:${container}${hpcJob}`;
  device.workloads ??= new Map();
  if (!device.workloads.has(key)) device.workloads.set(key, { namespace, pod, container, hpcJob });
}

/** The sample's value in base units, or undefined (with a problem) when it must not be used. */
function toBaseUnit(
  sample: ParsedSample,
  field: ResolvedField,
  origin: string,
  problems: string[],
): number | undefined {
  const raw = sample.value;
  const { multiply, divide, unit } = field.alias;
  let reason: string;
  if (Number.isNaN(raw)) {
    reason = 'is NaN';
  } else if (!Number.isFinite(raw)) {
    reason = `${raw} is not a finite number`;
  } else if (isDcgmBlank(raw)) {
    reason = `${raw} is DCGM's "no data" value`;
  } else {
    const value = multiply !== 1 ? raw * multiply : divide !== 1 ? raw / divide : raw;
    switch (field.check) {
      case 'ratio':
        if (value >= 0 && value <= 1) return value;
        reason = `${raw} (${unit}) is outside 0–1 as a ratio`;
        break;
      case 'non_negative':
        if (value >= 0) return value;
        reason = `${raw} (${unit}) is negative`;
        break;
      case 'integer':
        if (Number.isSafeInteger(value) && value >= 0) return value;
        reason = `${raw} (${unit}) is not a non-negative integer`;
        break;
      case 'finite':
        return value;
    }
  }
  problems.push(`${origin}:${sample.lineNumber}: ${sample.name} ${reason}, dropped`);
  return undefined;
}

function recordValue(
  device: Device,
  field: ResolvedField,
  value: number,
  line: number,
  origin: string,
  problems: string[],
): void {
  const i = field.index;
  const rank = field.alias.rank;
  const current = device.ranks[i] as number;
  if (rank < current) {
    device.values[i] = value;
    device.ranks[i] = rank;
    device.lines[i] = line;
    device.conflicted[i] = false;
  } else if (rank === current && value !== device.values[i] && !device.conflicted[i]) {
    device.conflicted[i] = true;
    problems.push(
      `${origin}:${line}: ${field.alias.field} for ${describe(device)} contradicts line ${device.lines[i]} ` +
        `(${value} vs ${device.values[i]} in base units); both dropped`,
    );
  }
}

function recordXidTotal(device: Device, sample: ParsedSample, value: number, origin: string, problems: string[]): void {
  // Present at all, the exporter's own count replaces the derived one, even before any XID.
  device.xidTotals ??= new Map();
  const label = sample.labels['xid'];
  // A zero series without xid label is how dcgm-exporter's XID families say "none yet".
  if (label === undefined && value === 0) return;
  const xid = label !== undefined && /^[0-9]{1,10}$/.test(label) ? Number(label) : NaN;
  if (Number.isNaN(xid)) {
    problems.push(`${origin}:${sample.lineNumber}: ${sample.name} has no numeric xid label, ignored`);
    return;
  }
  const known = device.xidTotals.get(xid);
  if (known === undefined) {
    device.xidTotals.set(xid, { value, line: sample.lineNumber, conflicted: false });
  } else if (known.value !== value && !known.conflicted) {
    known.conflicted = true;
    problems.push(
      `${origin}:${sample.lineNumber}: ${sample.name}{xid="${xid}"} for ${describe(device)} contradicts line ${known.line}; both dropped`,
    );
  }
}

function hasValue(device: Device, index: number): boolean {
  return device.ranks[index] !== Infinity && !device.conflicted[index];
}

function describe(device: Device): string {
  return device.instance === '' ? `GPU ${device.uuid}` : `GPU ${device.uuid} instance ${device.instance}`;
}

function buildFamilies(devices: readonly Device[], node: string, xidState: XidState): MetricFamily[] {
  const info: Sample[] = [];
  const workloads: Sample[] = [];
  const values = new Map<number, Sample[]>();
  const useful: Sample[] = [];
  const throttled: Sample[] = [];
  const xids: Sample[] = [];
  const push = (index: number, sample: Sample): void => {
    const list = values.get(index);
    if (list === undefined) values.set(index, [sample]);
    else list.push(sample);
  };

  for (const device of devices) {
    const base: Labels = { node, gpu: device.gpu, uuid: device.uuid, gpu_instance: device.instance };
    info.push({
      labels: {
        node,
        gpu: device.gpu,
        uuid: device.uuid,
        model: device.model,
        pci_bus_id: device.pciBusId,
        driver_version: device.driverVersion,
        gpu_instance: device.instance,
        gpu_instance_profile: device.profile,
      },
      value: 1,
    });
    if (device.workloads !== undefined) {
      for (const w of device.workloads.values()) {
        workloads.push({
          labels: {
            node,
            uuid: device.uuid,
            gpu_instance: device.instance,
            namespace: w.namespace,
            pod: w.pod,
            container: w.container,
            hpc_job: w.hpcJob,
          },
          value: 1,
        });
      }
    }

    for (const family of VALUE_FAMILIES) {
      if (hasValue(device, family.index))
        push(family.index, { labels: base, value: device.values[family.index] as number });
    }
    for (const { index, basis } of USEFUL_BASES) {
      if (hasValue(device, index)) {
        useful.push({ labels: withLabel(device, node, 'basis', basis), value: device.values[index] as number });
        break;
      }
    }
    if (hasValue(device, CLOCK_EVENTS)) {
      const mask = device.values[CLOCK_EVENTS] as number;
      for (const { reason, bit } of CLOCK_EVENT_REASONS) {
        throttled.push({ labels: withLabel(device, node, 'reason', reason), value: Math.floor(mask / bit) % 2 });
      }
    }
    appendXidSamples(device, node, xidState, xids);
  }

  const families: MetricFamily[] = [];
  const add = (name: string, help: string, type: 'gauge' | 'counter', samples: Sample[] | undefined): void => {
    if (samples !== undefined && samples.length > 0) families.push({ name, help, type, samples });
  };
  add('gpufleet_gpu_info', 'GPU or MIG instance as dcgm-exporter identifies it; always 1.', 'gauge', info);
  add(
    'gpufleet_gpu_workload_info',
    'Pod or HPC job DCGM attributes the GPU or MIG instance to; always 1.',
    'gauge',
    workloads,
  );
  for (const f of ACTIVITY_FAMILIES) add(f.name, f.help, f.type, values.get(f.index));
  add(
    'gpufleet_gpu_useful_ratio',
    'Best usefulness measure the GPU reports (sm_active, else graphics_active, else utilization); basis names it.',
    'gauge',
    useful,
  );
  for (const f of DEVICE_FAMILIES) add(f.name, f.help, f.type, values.get(f.index));
  add(
    'gpufleet_gpu_throttled',
    "1 while the clock-event reason holds the clocks down, else 0 (DCGM's clock-event bitmask).",
    'gauge',
    throttled,
  );
  add(
    'gpufleet_gpu_xid_errors_total',
    "XID errors by code: dcgm-exporter's own count when exported, else changes of DCGM's last-XID value seen by this exporter.",
    'counter',
    xids,
  );
  for (const f of LINK_FAMILIES) add(f.name, f.help, f.type, values.get(f.index));
  return families;
}

/**
 * dcgm-exporter's cumulative count when it exports one for the device, else the counts derived
 * from the last-XID value — only while that value is reported, so the series vanish with it.
 */
function appendXidSamples(device: Device, node: string, xidState: XidState, out: Sample[]): void {
  let counts: Array<[number, number]> = [];
  if (device.xidTotals !== undefined) {
    for (const [xid, total] of device.xidTotals) if (!total.conflicted) counts.push([xid, total.value]);
  } else if (hasValue(device, XID_LAST)) {
    counts = [...xidState.counts(device.key)];
  }
  counts.sort((a, b) => a[0] - b[0]);
  for (const [xid, count] of counts) out.push({ labels: withLabel(device, node, 'xid', String(xid)), value: count });
}

/** The device labels plus one more; a literal rather than a spread, which is several times slower here. */
function withLabel(device: Device, node: string, name: string, value: string): Labels {
  return { node, gpu: device.gpu, uuid: device.uuid, gpu_instance: device.instance, [name]: value };
}
