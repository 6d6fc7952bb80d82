import { DISKSTATS_SECTOR_BYTES, type DiskstatsRecord } from './diskstats.js';

/** Monotonic counters for one NVMe namespace, in the units of the metric contract. */
export interface NvmeDeviceCounters {
  device: string;
  readBytes: number;
  writtenBytes: number;
  ioTimeSeconds: number;
  readsCompleted: number;
  writesCompleted: number;
}

const WRAP_32 = 2 ** 32;
const HALF_32 = 2 ** 31;

/**
 * A kernel millisecond field that is printed as a 32-bit `unsigned int` and so wraps at 2^32
 * (about 49.7 days of busy time). Tracks how many times it wrapped so the exported value keeps rising.
 */
interface WrappingField {
  lastRaw: number;
  wraps: number;
}

interface DeviceState {
  ioTimeMs: WrappingField;
}

/**
 * Turns successive /proc/diskstats readings into monotonic counters.
 *
 * - Count fields (I/Os completed, sectors) are 64-bit on the machines that carry GPUs and are passed
 *   through; if one goes down the device was reset or re-created, which Prometheus treats as a counter
 *   reset on its own.
 * - `io_ticks` is 32-bit: a drop of more than 2^31 (the old value high, the new one low) is a wrap and
 *   adds 2^32; any smaller drop is a reset and the count restarts from the raw value.
 * - State of devices missing from a reading is forgotten, so a device that comes back starts afresh.
 */
export class NvmeCounterTracker {
  private readonly devices = new Map<string, DeviceState>();

  /** Number of devices with remembered state (for tests and diagnostics). */
  get trackedDevices(): number {
    return this.devices.size;
  }

  observe(records: readonly DiskstatsRecord[]): NvmeDeviceCounters[] {
    const present = new Set<string>();
    const counters: NvmeDeviceCounters[] = [];
    for (const record of records) {
      present.add(record.device);
      let state = this.devices.get(record.device);
      if (state === undefined) {
        state = { ioTimeMs: { lastRaw: record.ioTimeMs, wraps: 0 } };
        this.devices.set(record.device, state);
      }
      const ioTimeMs = advanceWrapping(state.ioTimeMs, record.ioTimeMs);
      counters.push({
        device: record.device,
        readBytes: record.sectorsRead * DISKSTATS_SECTOR_BYTES,
        writtenBytes: record.sectorsWritten * DISKSTATS_SECTOR_BYTES,
        ioTimeSeconds: ioTimeMs / 1000,
        readsCompleted: record.readsCompleted,
        writesCompleted: record.writesCompleted,
      });
    }
    for (const device of this.devices.keys()) {
      if (!present.has(device)) this.devices.delete(device);
    }
    return counters;
  }
}

/** Feeds a new raw reading of a 32-bit field and returns its unwrapped value. */
export function advanceWrapping(field: WrappingField, raw: number): number {
  if (raw < field.lastRaw) {
    // Wrapped when the fall is larger than half the range: a counter sampled every few seconds
    // cannot have advanced by more than 2^31 ms (~24.8 days) between two readings.
    if (field.lastRaw < WRAP_32 && field.lastRaw - raw > HALF_32) field.wraps += 1;
    else field.wraps = 0;
  }
  field.lastRaw = raw;
  return raw + field.wraps * WRAP_32;
}
