import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatPath, locateInYaml } from '../yaml-location.js';

/*
 * A scenario file describes a synthetic GPU fleet: its node groups (hardware, dcgm-exporter
 * generation, contract and price), the workloads running on it (multi-node jobs, pods, idle
 * notebooks), the stragglers and their causes, XID bursts, dead nodes and reference offers.
 * The loader validates it and resolves it into one record per node with the workload of each GPU,
 * so the fleet model only has to say what each GPU looks like at a given time.
 * The annotated example is exporter/scenarios/default.yaml.
 */

export const DCGM_VERSIONS = ['3.3', '4.2', '4.8', '4.9'] as const;
/** dcgm-exporter generation: 3.3.x (`Hostname`, no pci_bus_id), 4.2–4.8.2 (`Hostname`), ≥ 4.8.3 (`hostname`), 4.9 (renamed fields, base units). */
export type DcgmVersion = (typeof DCGM_VERSIONS)[number];
export const DCGM_FIELD_SETS = ['basic', 'dcp', 'dcp_sm'] as const;
/** Which counters the deployment enables: no profiling fields, the default profiling set, or that plus SM activity. */
export type DcgmFieldSet = (typeof DCGM_FIELD_SETS)[number];
export const STRAGGLER_CAUSES = ['thermal', 'power_brake', 'hw_slowdown', 'nvme_stall', 'xid', 'interconnect'] as const;
export type StragglerCause = (typeof STRAGGLER_CAUSES)[number];
export const WORKLOAD_KINDS = ['hpc_job', 'pytorchjob', 'pods'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export const INFRA_KINDS = ['bare_metal', 'vm', 'cloud'] as const;
export type Infra = (typeof INFRA_KINDS)[number];
export const PRICING_MODELS = ['on_demand', 'reserved', 'spot', 'owned'] as const;
export type Pricing = (typeof PRICING_MODELS)[number];

/** Physical characteristics of a GPU model that shape its simulated readings. */
export interface GpuSpec {
  memoryMiB: number;
  tdpWatts: number;
  idleWatts: number;
  maxSmClockMHz: number;
  idleSmClockMHz: number;
  memoryClockMHz: number;
}

/** Approximate public figures of common data-centre GPUs; other models need `gpu_spec` in the scenario. */
export const KNOWN_GPU_SPECS: Readonly<Record<string, GpuSpec>> = {
  'NVIDIA H100 80GB HBM3': { memoryMiB: 81559, tdpWatts: 700, idleWatts: 72, maxSmClockMHz: 1980, idleSmClockMHz: 345, memoryClockMHz: 2619 },
  'NVIDIA H200': { memoryMiB: 143771, tdpWatts: 700, idleWatts: 76, maxSmClockMHz: 1980, idleSmClockMHz: 345, memoryClockMHz: 3201 },
  'NVIDIA A100-SXM4-80GB': { memoryMiB: 81920, tdpWatts: 400, idleWatts: 62, maxSmClockMHz: 1410, idleSmClockMHz: 210, memoryClockMHz: 1593 },
  'NVIDIA L40S': { memoryMiB: 46068, tdpWatts: 350, idleWatts: 36, maxSmClockMHz: 2520, idleSmClockMHz: 210, memoryClockMHz: 9001 },
};

const DEFAULT_DRIVER: Readonly<Record<DcgmVersion, string>> = {
  '3.3': '535.129.03',
  '4.2': '550.127.05',
  '4.8': '570.172.08',
  '4.9': '580.82.07',
};

// ---------------------------------------------------------------------------------------------
// File schema (the YAML as written: snake_case keys)

const name = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, ".", "_" or "-" (at most 63)');
const ratio = z.number().min(0).max(1);
const money = z.number().nonnegative();
const positiveInt = z.number().int().positive();

const gpuSpecSchema = z.strictObject({
  memory_mib: positiveInt,
  tdp_watts: z.number().positive(),
  idle_watts: z.number().positive(),
  max_sm_clock_mhz: positiveInt,
  idle_sm_clock_mhz: positiveInt,
  memory_clock_mhz: positiveInt,
});

const dcgmSchema = z.strictObject({
  version: z.enum(DCGM_VERSIONS),
  fields: z.enum(DCGM_FIELD_SETS).optional(),
  /** `node`: the Hostname label is the node name (bare metal); `exporter_pod`: a dcgm-exporter pod name (Kubernetes). */
  hostname: z.enum(['node', 'exporter_pod']).default('node'),
  driver: z.string().trim().min(1).optional(),
  /** Report memory temperature as DCGM's "no data" sentinel, as some boards do. */
  sentinel_memory_temp: z.boolean().default(false),
});

const ownedSchema = z.strictObject({
  capex: money,
  years: z.number().positive(),
  power_kw: z.number().nonnegative(),
  energy_cost_per_kwh: money,
  pue: z.number().min(1).default(1),
  colocation_per_month: money.default(0),
});

const nvmeSchema = z.strictObject({
  devices: z.number().int().min(0).max(32).default(2),
  model: z.string().trim().min(1).default('SAMSUNG MZQL23T8HCLS-00A07'),
});

const nodeGroupSchema = z.strictObject({
  name,
  prefix: name.optional(),
  count: z.number().int().min(1).max(100_000).optional(),
  nodes: z.array(name).min(1).optional(),
  model: z.string().trim().min(1),
  gpus: z.number().int().min(1).max(64).default(8),
  gpu_spec: gpuSpecSchema.optional(),
  dcgm: z.union([dcgmSchema, z.array(dcgmSchema).min(1)]),
  diskstats_fields: z.union([z.literal(14), z.literal(18), z.literal(20)]).default(20),
  nvme: nvmeSchema.default({ devices: 2, model: 'SAMSUNG MZQL23T8HCLS-00A07' }),
  provider: z.string().trim().min(1),
  infra: z.enum(INFRA_KINDS),
  pricing: z.enum(PRICING_MODELS),
  team: z.string().trim().min(1),
  gpu_hourly_cost: money.optional(),
  /** Public list price per GPU-hour, written to FOCUS ListCost (defaults to the price paid). */
  list_gpu_hourly_cost: money.optional(),
  owned: ownedSchema.optional(),
  /** Amplitude of per-sample noise on activity ratios; overrides the scenario's `noise`. */
  noise: z.number().min(0).max(0.5).optional(),
});

const nodeRefSchema = z.union([name, z.strictObject({ name, useful: ratio })]);
const nodeSelectionSchema = z.union([
  z.array(nodeRefSchema).min(1),
  z.strictObject({ group: name, from: positiveInt.default(1), count: positiveInt.optional() }),
]);

const stragglerSchema = z.strictObject({
  node: name,
  cause: z.enum(STRAGGLER_CAUSES),
  /** Fraction of the job's SM activity the node loses. */
  slowdown: z.number().gt(0).lt(1).default(0.3),
});

const workloadSchema = z.strictObject({
  name,
  kind: z.enum(WORKLOAD_KINDS),
  namespace: name.optional(),
  container: name.optional(),
  /** Pod name template for `pods`: `{i}` is the node's position in the selection (from 0). */
  pod: z.string().trim().min(1).optional(),
  /** GPUs of each node the workload holds (default: all). */
  gpus: z.array(z.number().int().min(0)).min(1).optional(),
  nodes: nodeSelectionSchema,
  /** Mean SM activity of the workload's GPUs (0–1). */
  useful: ratio,
  /** Relative amplitude of the workload's periodic swing (steps, evaluation, checkpoints). */
  wobble: ratio.default(0),
  period_s: z.number().positive().default(600),
  nvme_read_bytes_per_second: z.number().nonnegative().default(0),
  nvme_write_bytes_per_second: z.number().nonnegative().default(0),
  stragglers: z.array(stragglerSchema).default([]),
});

const xidSchema = z.strictObject({
  node: name,
  gpu: z.number().int().min(0),
  code: z.number().int().min(1).max(1023),
  /** First occurrence, seconds after the fleet started. */
  at_s: z.number().nonnegative(),
  /** Repeat period; without it the XID happens once. */
  every_s: z.number().positive().optional(),
  /** Number of occurrences when repeating (default: unbounded). */
  count: positiveInt.optional(),
});

const referenceSchema = z.strictObject({
  model: z.string().trim().min(1),
  offer: z.string().trim().min(1),
  gpu_hourly_cost: money,
});

const scenarioFileSchema = z.strictObject({
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  cluster: name,
  currency: z.literal('USD').default('USD'),
  noise: z.number().min(0).max(0.5).default(0),
  /** Days of hourly FOCUS rows written for the rented nodes. */
  focus_days: z.number().int().min(1).max(90).default(3),
  node_groups: z.array(nodeGroupSchema).min(1),
  workloads: z.array(workloadSchema).default([]),
  xids: z.array(xidSchema).default([]),
  dead_nodes: z.array(name).default([]),
  references: z.array(referenceSchema).default([]),
});

type ScenarioFile = z.infer<typeof scenarioFileSchema>;

// ---------------------------------------------------------------------------------------------
// Resolved scenario

export interface DcgmProfile {
  version: DcgmVersion;
  fields: DcgmFieldSet;
  hostname: 'node' | 'exporter_pod';
  driver: string;
  sentinelMemoryTemp: boolean;
}

export interface OwnedCost {
  capex: number;
  years: number;
  powerKw: number;
  energyCostPerKwh: number;
  pue: number;
  colocationPerMonth: number;
}

export interface NodeBilling {
  provider: string;
  infra: Infra;
  pricing: Pricing;
  team: string;
  /** Price per GPU-hour for rented nodes. */
  gpuHourlyCost?: number;
  listGpuHourlyCost?: number;
  owned?: OwnedCost;
}

export interface Straggler {
  cause: StragglerCause;
  slowdown: number;
}

/** What holds one GPU. */
export interface GpuAssignment {
  workload: string;
  kind: WorkloadKind;
  /** Mean SM activity before any straggler slowdown. */
  useful: number;
  wobble: number;
  periodS: number;
  namespace?: string;
  pod?: string;
  container?: string;
  hpcJob?: string;
}

export interface XidSchedule {
  gpu: number;
  code: number;
  atS: number;
  everyS?: number;
  count?: number;
}

export interface ScenarioNode {
  name: string;
  group: string;
  /** Position in the fleet, from 0. */
  index: number;
  model: string;
  gpuSpec: GpuSpec;
  gpuCount: number;
  dcgm: DcgmProfile;
  diskstatsFields: 14 | 18 | 20;
  nvme: { devices: number; model: string };
  billing: NodeBilling;
  noise: number;
  dead: boolean;
  /** One entry per GPU; undefined when nothing holds the GPU. */
  gpus: Array<GpuAssignment | undefined>;
  /** NVMe traffic of the node's workloads, bytes per second (before any nvme_stall). */
  nvmeReadBytesPerSecond: number;
  nvmeWriteBytesPerSecond: number;
  /** Set when the node drags a multi-node job down. */
  straggler?: Straggler & { workload: string };
  xids: XidSchedule[];
}

export interface ScenarioWorkload {
  name: string;
  kind: WorkloadKind;
  namespace?: string;
  nodes: string[];
  useful: number;
  stragglers: Array<{ node: string } & Straggler>;
}

export interface ScenarioGroup {
  name: string;
  /** Set when the nodes were generated as `<prefix>-NN`. */
  prefix?: string;
  nodes: string[];
}

export interface Scenario {
  /** The file it came from, for messages. */
  file: string;
  seed: number;
  cluster: string;
  currency: 'USD';
  focusDays: number;
  groups: ScenarioGroup[];
  nodes: ScenarioNode[];
  workloads: ScenarioWorkload[];
  references: Array<{ model: string; offer: string; gpuHourlyCost: number }>;
}

/** A scenario that cannot be used; the message names file:line:column of every problem found. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(`${path}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenario(text, path);
}

/** Parses and resolves scenario text; `file` names it in messages. */
export function parseScenario(text: string, file: string): Scenario {
  if (text.length > MAX_SCENARIO_BYTES) throw new ScenarioError(`${file}: larger than ${MAX_SCENARIO_BYTES} bytes`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const messages = doc.errors.slice(0, 10).map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
    });
    throw new ScenarioError(messages.join('\n'));
  }
  const where = (path: readonly PropertyKey[], atKey = false): string => {
    const { line, column } = atKey && path.length > 0
      ? locateInYaml(doc, lineCounter, path.slice(0, -1), String(path[path.length - 1]))
      : locateInYaml(doc, lineCounter, path);
    return `${file}:${line}:${column}`;
  };

  const parsed = scenarioFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const messages = parsed.error.issues.slice(0, 20).map((issue) => {
      const path = issue.path as PropertyKey[];
      const unknownKey = issue.code === 'unrecognized_keys';
      const at = unknownKey ? [...path, issue.keys[0] ?? ''] : path;
      return `${where(at, unknownKey)}: ${formatPath(at) || '(document)'}: ${issue.message}`;
    });
    throw new ScenarioError(messages.join('\n'));
  }
  return resolveScenario(parsed.data, file, where);
}

/** Turns the validated file into one record per node; cross-references are checked here. */
function resolveScenario(data: ScenarioFile, file: string, where: (path: readonly PropertyKey[]) => string): Scenario {
  const problems: string[] = [];
  const fail = (path: readonly PropertyKey[], message: string): void => {
    problems.push(`${where(path)}: ${formatPath(path)}: ${message}`);
  };

  const nodes: ScenarioNode[] = [];
  const byName = new Map<string, ScenarioNode>();
  const groups: ScenarioGroup[] = [];
  const groupNames = new Set<string>();

  data.node_groups.forEach((g, gi) => {
    const at = ['node_groups', gi];
    if (groupNames.has(g.name)) fail([...at, 'name'], `group ${g.name} is defined twice`);
    groupNames.add(g.name);
    if ((g.count === undefined) === (g.nodes === undefined)) {
      fail(at, 'give either count (with an optional prefix) or nodes');
      return;
    }
    const spec = g.gpu_spec ? toGpuSpec(g.gpu_spec) : KNOWN_GPU_SPECS[g.model];
    if (spec === undefined) {
      fail([...at, 'model'], `unknown GPU model ${JSON.stringify(g.model)}: add gpu_spec (known: ${Object.keys(KNOWN_GPU_SPECS).join(', ')})`);
      return;
    }
    const billing = resolveBilling(g, (path, message) => fail([...at, ...path], message));
    const prefix = g.prefix ?? g.name;
    const names = g.nodes ?? generatedNames(prefix, g.count!);
    const profiles = (Array.isArray(g.dcgm) ? g.dcgm : [g.dcgm]).map(toDcgmProfile);
    groups.push({ name: g.name, prefix: g.nodes === undefined ? prefix : undefined, nodes: names });
    names.forEach((nodeName, i) => {
      if (byName.has(nodeName)) {
        fail(g.nodes ? [...at, 'nodes', i] : [...at, 'prefix'], `node ${nodeName} is defined twice`);
        return;
      }
      const node: ScenarioNode = {
        name: nodeName,
        group: g.name,
        index: nodes.length,
        model: g.model,
        gpuSpec: spec,
        gpuCount: g.gpus,
        dcgm: profiles[i % profiles.length]!,
        diskstatsFields: g.diskstats_fields,
        nvme: { devices: g.nvme.devices, model: g.nvme.model },
        billing,
        noise: g.noise ?? data.noise,
        dead: false,
        gpus: new Array<GpuAssignment | undefined>(g.gpus).fill(undefined),
        nvmeReadBytesPerSecond: 0,
        nvmeWriteBytesPerSecond: 0,
        xids: [],
      };
      nodes.push(node);
      byName.set(nodeName, node);
    });
  });

  const groupsByName = new Map(groups.map((g) => [g.name, g]));
  const workloads: ScenarioWorkload[] = [];
  const workloadNames = new Set<string>();

  data.workloads.forEach((w, wi) => {
    const at = ['workloads', wi];
    if (workloadNames.has(w.name)) fail([...at, 'name'], `workload ${w.name} is defined twice`);
    workloadNames.add(w.name);
    if (w.kind !== 'hpc_job' && w.namespace === undefined) fail([...at, 'namespace'], `a ${w.kind} workload needs a namespace`);
    if (w.kind !== 'pods' && (w.pod !== undefined || w.gpus !== undefined)) {
      fail([...at, w.pod !== undefined ? 'pod' : 'gpus'], `pod and gpus apply to kind pods only; a ${w.kind} holds whole nodes`);
    }

    const members = selectNodes(w.nodes, groupsByName, (path, message) => fail([...at, 'nodes', ...path], message));
    const resolved: ScenarioWorkload = { name: w.name, kind: w.kind, namespace: w.namespace, nodes: [], useful: w.useful, stragglers: [] };
    members.forEach((member, position) => {
      const node = byName.get(member.name);
      if (node === undefined) {
        fail([...at, 'nodes', ...member.path], `unknown node ${member.name}`);
        return;
      }
      resolved.nodes.push(node.name);
      const gpuIndexes = w.gpus ?? node.gpus.map((_, i) => i);
      for (const gpu of gpuIndexes) {
        if (gpu >= node.gpuCount) {
          fail([...at, 'gpus'], `node ${node.name} has ${node.gpuCount} GPUs; there is no GPU ${gpu}`);
          continue;
        }
        const holder = node.gpus[gpu];
        if (holder !== undefined) {
          fail([...at, 'nodes', ...member.path], `GPU ${gpu} of ${node.name} is already held by workload ${holder.workload}`);
          continue;
        }
        node.gpus[gpu] = assignment(w, member.useful ?? w.useful, position, node.name);
      }
      node.nvmeReadBytesPerSecond += w.nvme_read_bytes_per_second;
      node.nvmeWriteBytesPerSecond += w.nvme_write_bytes_per_second;
    });

    w.stragglers.forEach((s, si) => {
      const sat = [...at, 'stragglers', si];
      const node = byName.get(s.node);
      if (node === undefined || !resolved.nodes.includes(s.node)) {
        fail([...sat, 'node'], `straggler ${s.node} is not a node of workload ${w.name}`);
        return;
      }
      if (resolved.nodes.length < 3) fail([...sat, 'node'], 'a straggler needs a job of at least 3 nodes to stand out from');
      if (node.straggler !== undefined) {
        fail([...sat, 'node'], `node ${s.node} is already a straggler of ${node.straggler.workload}`);
        return;
      }
      node.straggler = { workload: w.name, cause: s.cause, slowdown: s.slowdown };
      resolved.stragglers.push({ node: s.node, cause: s.cause, slowdown: s.slowdown });
    });
    workloads.push(resolved);
  });

  data.xids.forEach((x, xi) => {
    const node = byName.get(x.node);
    if (node === undefined) {
      fail(['xids', xi, 'node'], `unknown node ${x.node}`);
      return;
    }
    if (x.gpu >= node.gpuCount) {
      fail(['xids', xi, 'gpu'], `node ${x.node} has ${node.gpuCount} GPUs; there is no GPU ${x.gpu}`);
      return;
    }
    node.xids.push({ gpu: x.gpu, code: x.code, atS: x.at_s, everyS: x.every_s, count: x.count });
  });

  data.dead_nodes.forEach((nodeName, di) => {
    const node = byName.get(nodeName);
    if (node === undefined) fail(['dead_nodes', di], `unknown node ${nodeName}`);
    else node.dead = true;
  });

  if (problems.length > 0) throw new ScenarioError(problems.slice(0, 20).join('\n'));
  return {
    file,
    seed: data.seed,
    cluster: data.cluster,
    currency: data.currency,
    focusDays: data.focus_days,
    groups,
    nodes,
    workloads,
    references: data.references.map((r) => ({ model: r.model, offer: r.offer, gpuHourlyCost: r.gpu_hourly_cost })),
  };
}

/** `<prefix>-01` … with at least two digits, more when the group is larger. */
export function generatedNames(prefix: string, count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}`);
}

function toGpuSpec(s: z.infer<typeof gpuSpecSchema>): GpuSpec {
  return {
    memoryMiB: s.memory_mib,
    tdpWatts: s.tdp_watts,
    idleWatts: s.idle_watts,
    maxSmClockMHz: s.max_sm_clock_mhz,
    idleSmClockMHz: s.idle_sm_clock_mhz,
    memoryClockMHz: s.memory_clock_mhz,
  };
}

function toDcgmProfile(d: z.infer<typeof dcgmSchema>): DcgmProfile {
  return {
    version: d.version,
    fields: d.fields ?? (d.version === '3.3' ? 'basic' : 'dcp'),
    hostname: d.hostname,
    driver: d.driver ?? DEFAULT_DRIVER[d.version],
    sentinelMemoryTemp: d.sentinel_memory_temp,
  };
}

function resolveBilling(
  g: z.infer<typeof nodeGroupSchema>,
  fail: (path: readonly PropertyKey[], message: string) => void,
): NodeBilling {
  const billing: NodeBilling = { provider: g.provider, infra: g.infra, pricing: g.pricing, team: g.team };
  if (g.pricing === 'owned') {
    if (g.owned === undefined) fail(['owned'], 'pricing owned needs owned: {capex, years, power_kw, energy_cost_per_kwh, pue, colocation_per_month}');
    if (g.gpu_hourly_cost !== undefined) fail(['gpu_hourly_cost'], 'an owned group is priced by owned:, not gpu_hourly_cost');
  } else {
    if (g.gpu_hourly_cost === undefined) fail(['gpu_hourly_cost'], `pricing ${g.pricing} needs gpu_hourly_cost`);
    if (g.owned !== undefined) fail(['owned'], 'owned: needs pricing owned');
  }
  if (g.owned !== undefined) {
    billing.owned = {
      capex: g.owned.capex,
      years: g.owned.years,
      powerKw: g.owned.power_kw,
      energyCostPerKwh: g.owned.energy_cost_per_kwh,
      pue: g.owned.pue,
      colocationPerMonth: g.owned.colocation_per_month,
    };
  }
  if (g.gpu_hourly_cost !== undefined) billing.gpuHourlyCost = g.gpu_hourly_cost;
  if (g.list_gpu_hourly_cost !== undefined) billing.listGpuHourlyCost = g.list_gpu_hourly_cost;
  return billing;
}

interface SelectedNode {
  name: string;
  useful?: number;
  /** Path of the reference inside `nodes`, for messages. */
  path: PropertyKey[];
}

function selectNodes(
  selection: z.infer<typeof nodeSelectionSchema>,
  groups: ReadonlyMap<string, ScenarioGroup>,
  fail: (path: readonly PropertyKey[], message: string) => void,
): SelectedNode[] {
  if (Array.isArray(selection)) {
    const seen = new Set<string>();
    const out: SelectedNode[] = [];
    selection.forEach((ref, i) => {
      const entry = typeof ref === 'string' ? { name: ref, path: [i] } : { name: ref.name, useful: ref.useful, path: [i] };
      if (seen.has(entry.name)) fail([i], `node ${entry.name} is listed twice`);
      else out.push(entry);
      seen.add(entry.name);
    });
    return out;
  }
  const group = groups.get(selection.group);
  if (group === undefined) {
    fail(['group'], `unknown node group ${selection.group}`);
    return [];
  }
  const start = selection.from - 1;
  const count = selection.count ?? group.nodes.length - start;
  if (start >= group.nodes.length || start + count > group.nodes.length) {
    fail([], `group ${group.name} has ${group.nodes.length} nodes; from ${selection.from} count ${count} goes past its end`);
    return [];
  }
  return group.nodes.slice(start, start + count).map((n) => ({ name: n, path: [] }));
}

function assignment(w: z.infer<typeof workloadSchema>, useful: number, position: number, nodeName: string): GpuAssignment {
  const base = { workload: w.name, kind: w.kind, useful, wobble: w.wobble, periodS: w.period_s };
  switch (w.kind) {
    case 'hpc_job':
      return { ...base, hpcJob: w.name };
    case 'pytorchjob':
      // The training operator names the pods of a PyTorchJob <job>-worker-<index>.
      return { ...base, namespace: w.namespace, pod: `${w.name}-worker-${position}`, container: w.container ?? 'pytorch' };
    case 'pods':
      return {
        ...base,
        namespace: w.namespace,
        pod: (w.pod ?? `${w.name}-{i}`).replaceAll('{i}', String(position)).replaceAll('{node}', nodeName),
        container: w.container ?? 'main',
      };
  }
}
