/**
 * The DCGM fields the normaliser reads, keyed by what they mean rather than by name, because
 * dcgm-exporter renamed them (4.9.0 switched to DCGM 4.7 names) and changed units on the way.
 *
 * Sources checked for names and units:
 * - DCGM `dcgmlib/dcgm_fields.h` and `dcgm_fields.cpp` (4.6): field types and units, the
 *   deprecated-alias list (GPU_UTIL → GPU_UTIL_RATIO, CLOCK_THROTTLE_REASONS → CLOCKS_EVENT_REASONS,
 *   XID_ERRORS → XID_ERROR, POWER_USAGE → BOARD_POWER_WATTS, GPU_TEMP → GPU_TEMP_CELSIUS,
 *   NVLINK_BANDWIDTH_TOTAL → NVLINK_THROUGHPUT_TOTAL, PROF_* → PROF_*_RATIO), and the
 *   clock-event bits.
 * - go-dcgm (4.6.1 bindings): the new base-unit fields with their own IDs, SM_CLOCK_HERTZ (1603)
 *   and GPU_ENERGY_JOULES_TOTAL (1611), next to BAR1_{CAPACITY,USED,FREE}_BYTES.
 * - dcgm-exporter 4.9.0 release notes: 23 renamed fields, 11 with new units (clocks MHz → Hz,
 *   energy mJ → J, utilisation % → 0–1, GPU memory MiB → bytes, NVLink MB/s → B/s), and
 *   DCGM_FI_DEV_FB_CAPACITY_BYTES collected by default.
 *
 * Not confirmed from a DCGM 4.7 header: the names of framebuffer used/free in bytes. They are
 * taken as FB_USED_BYTES / FB_FREE_BYTES by analogy with BAR1_*_BYTES and FB_CAPACITY_BYTES.
 * Should DCGM have chosen other names, those fields are simply not read (never misread).
 *
 * Known ambiguity: DCGM 4.6 already names field 203 GPU_UTIL_RATIO while still reporting percent,
 * and field 449 NVLINK_THROUGHPUT_TOTAL while still reporting MB/s; only dcgm-exporter 4.9 emits
 * these names in 0–1 and B/s. A pre-4.9 exporter configured with the new names would therefore
 * report percent under a ratio name: values above 1 are then rejected as out of range (never
 * clamped), values of 0–1 % would be read as 0–100 %. The default counter sets never do this.
 */

export type Meaning =
  | 'utilization'
  | 'graphics_active'
  | 'sm_active'
  | 'sm_occupancy'
  | 'tensor_active'
  | 'dram_active'
  | 'memory_used'
  | 'memory_free'
  | 'power'
  | 'energy'
  | 'temperature'
  | 'sm_clock'
  | 'clock_events'
  | 'xid_last'
  | 'xid_total'
  | 'pcie_transmit'
  | 'pcie_receive'
  | 'nvlink';

/** How a converted value is checked before use. */
export type ValueCheck =
  /** 0–1 after conversion; anything else is rejected, never clamped. */
  | 'ratio'
  /** ≥ 0. */
  | 'non_negative'
  /** Any finite number. */
  | 'finite'
  /** A non-negative integer that fits a double exactly (bitmasks, XID codes, counts). */
  | 'integer';

export interface FieldAlias {
  /** Metric name as dcgm-exporter writes it. */
  readonly field: string;
  readonly meaning: Meaning;
  /** value × multiply ÷ divide gives the base unit; one of the two is always 1, so each step is exact. */
  readonly multiply: number;
  readonly divide: number;
  /** Unit the field arrives in, for messages and documentation. */
  readonly unit: string;
  /** Lower wins when one GPU reports the same meaning under several names (newest, most precise first). */
  readonly rank: number;
}

export interface MeaningSpec {
  readonly meaning: Meaning;
  readonly check: ValueCheck;
  /** Names in order of preference; see FieldAlias.rank. */
  readonly aliases: ReadonlyArray<{ field: string; unit: string; multiply?: number; divide?: number }>;
}

const MIB = 1024 * 1024;

export const MEANINGS: readonly MeaningSpec[] = [
  {
    meaning: 'utilization',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_DEV_GPU_UTIL_RATIO', unit: 'ratio' }, // dcgm-exporter ≥ 4.9
      { field: 'DCGM_FI_DEV_GPU_UTIL', unit: '%', divide: 100 },
    ],
  },
  {
    meaning: 'graphics_active',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO', unit: 'ratio' },
      { field: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', unit: 'ratio' },
    ],
  },
  {
    meaning: 'sm_active',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_PROF_SM_UTIL_RATIO', unit: 'ratio' },
      { field: 'DCGM_FI_PROF_SM_ACTIVE', unit: 'ratio' },
    ],
  },
  {
    meaning: 'sm_occupancy',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_PROF_SM_OCCUPANCY_RATIO', unit: 'ratio' },
      { field: 'DCGM_FI_PROF_SM_OCCUPANCY', unit: 'ratio' },
    ],
  },
  {
    meaning: 'tensor_active',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_PROF_TENSOR_UTIL_RATIO', unit: 'ratio' },
      { field: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', unit: 'ratio' },
    ],
  },
  {
    meaning: 'dram_active',
    check: 'ratio',
    aliases: [
      { field: 'DCGM_FI_PROF_DRAM_UTIL_RATIO', unit: 'ratio' },
      { field: 'DCGM_FI_PROF_DRAM_ACTIVE', unit: 'ratio' },
    ],
  },
  {
    meaning: 'memory_used',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_FB_USED_BYTES', unit: 'bytes' },
      { field: 'DCGM_FI_DEV_FB_USED', unit: 'MiB', multiply: MIB },
    ],
  },
  {
    meaning: 'memory_free',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_FB_FREE_BYTES', unit: 'bytes' },
      { field: 'DCGM_FI_DEV_FB_FREE', unit: 'MiB', multiply: MIB },
    ],
  },
  {
    meaning: 'power',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_BOARD_POWER_WATTS', unit: 'W' },
      { field: 'DCGM_FI_DEV_POWER_USAGE', unit: 'W' },
    ],
  },
  {
    meaning: 'energy',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL', unit: 'J' },
      { field: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', unit: 'mJ', divide: 1000 },
    ],
  },
  {
    meaning: 'temperature',
    check: 'finite',
    aliases: [
      { field: 'DCGM_FI_DEV_GPU_TEMP_CELSIUS', unit: '°C' },
      { field: 'DCGM_FI_DEV_GPU_TEMP', unit: '°C' },
    ],
  },
  {
    meaning: 'sm_clock',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_SM_CLOCK_HERTZ', unit: 'Hz' },
      { field: 'DCGM_FI_DEV_SM_CLOCK', unit: 'MHz', multiply: 1_000_000 },
    ],
  },
  {
    meaning: 'clock_events',
    check: 'integer',
    aliases: [
      { field: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', unit: 'bitmask' },
      { field: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', unit: 'bitmask' },
    ],
  },
  {
    // The code of the last XID since the driver loaded; never resets, so it is no count.
    meaning: 'xid_last',
    check: 'integer',
    aliases: [
      { field: 'DCGM_FI_DEV_XID_ERROR', unit: 'XID code' },
      { field: 'DCGM_FI_DEV_XID_ERRORS', unit: 'XID code' },
    ],
  },
  {
    // dcgm-exporter ≥ 4.8.3, opt-in: XIDs counted since exporter start, one series per `xid` label.
    // DCGM_EXP_XID_ERRORS_COUNT is deliberately absent: it counts within a sliding window, so it
    // falls as well as rises and is no counter.
    meaning: 'xid_total',
    check: 'integer',
    aliases: [{ field: 'DCGM_EXP_XID_ERRORS_TOTAL', unit: 'count' }],
  },
  {
    // Typed "counter" by dcgm-exporter but a bytes-per-second rate (DCGM docs, dcgm-exporter CSV help).
    meaning: 'pcie_transmit',
    check: 'non_negative',
    aliases: [{ field: 'DCGM_FI_PROF_PCIE_TX_BYTES', unit: 'B/s' }],
  },
  {
    meaning: 'pcie_receive',
    check: 'non_negative',
    aliases: [{ field: 'DCGM_FI_PROF_PCIE_RX_BYTES', unit: 'B/s' }],
  },
  {
    // Typed "counter" by dcgm-exporter but a rate. DCGM declares the unit MB/s (it divides the
    // KiB/s rate it computes by 1000, so the true factor may be 1.024e6); 1e6 follows the declared
    // unit, which is also what dcgm-exporter 4.9 converts from.
    meaning: 'nvlink',
    check: 'non_negative',
    aliases: [
      { field: 'DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL', unit: 'B/s' }, // dcgm-exporter ≥ 4.9
      { field: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', unit: 'MB/s', multiply: 1_000_000 },
    ],
  },
];

/** Every alias by the metric name dcgm-exporter writes. */
export const FIELD_ALIASES: ReadonlyMap<string, FieldAlias> = new Map(
  MEANINGS.flatMap((spec) =>
    spec.aliases.map((alias, rank): [string, FieldAlias] => [
      alias.field,
      {
        field: alias.field,
        meaning: spec.meaning,
        multiply: alias.multiply ?? 1,
        divide: alias.divide ?? 1,
        unit: alias.unit,
        rank,
      },
    ]),
  ),
);

/**
 * Bits of DCGM_FI_DEV_CLOCKS_EVENT_REASONS (dcgm_fields.h DCGM_CLOCKS_EVENT_REASON_*, a 1:1 map of
 * NVML's nvmlClocksEventReason*). Every reason is emitted as 0 or 1 so that absence of a 1 is not
 * ambiguous. Bits DCGM does not document are ignored.
 */
export const CLOCK_EVENT_REASONS: ReadonlyArray<{ reason: string; bit: number }> = [
  { reason: 'gpu_idle', bit: 0x1 },
  { reason: 'applications_clocks', bit: 0x2 },
  { reason: 'sw_power_cap', bit: 0x4 },
  { reason: 'hw_slowdown', bit: 0x8 },
  { reason: 'sync_boost', bit: 0x10 },
  { reason: 'sw_thermal', bit: 0x20 },
  { reason: 'hw_thermal', bit: 0x40 },
  { reason: 'hw_power_brake', bit: 0x80 },
  { reason: 'display_clocks', bit: 0x100 },
];
