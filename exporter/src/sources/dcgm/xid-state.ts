/**
 * Turns DCGM's last-XID value into a counter, per GPU or MIG instance, across collections.
 *
 * DCGM_FI_DEV_XID_ERRORS holds the code of the most recent XID and never resets, so an event is
 * visible only as a change of that value. Rules:
 * - the first value seen for a device is a baseline, not an event (it may be years old);
 * - a change to a non-zero code counts one event of that code;
 * - a change to 0 (driver reload) resets the baseline without counting.
 * Limits, inherent to a last-value field: the same code twice in a row is one event, several XIDs
 * between two collections count as the last one only, and an XID that occurs before the first
 * collection of a device is never counted. dcgm-exporter ≥ 4.8.3 can export
 * DCGM_EXP_XID_ERRORS_TOTAL, which has none of these limits; the normaliser prefers it.
 *
 * Counts live for as long as the exporter process and the device: a device absent from a whole
 * collection is forgotten, and if it comes back it starts from a new baseline (a counter reset,
 * which Prometheus handles).
 */
export class XidState {
  private readonly devices = new Map<string, { last: number; counts: Map<number, number> }>();

  /** Records this collection's last-XID value for a device. */
  observe(deviceKey: string, xid: number): void {
    const device = this.devices.get(deviceKey);
    if (device === undefined) {
      this.devices.set(deviceKey, { last: xid, counts: new Map() });
      return;
    }
    if (xid !== device.last && xid !== 0) device.counts.set(xid, (device.counts.get(xid) ?? 0) + 1);
    device.last = xid;
  }

  /** XID code → events counted so far for a device (empty when none). */
  counts(deviceKey: string): ReadonlyMap<number, number> {
    return this.devices.get(deviceKey)?.counts ?? EMPTY;
  }

  /** Forgets every device not in `present` (GPUs that vanished from a successful collection). */
  retainOnly(present: ReadonlySet<string>): void {
    for (const key of this.devices.keys()) if (!present.has(key)) this.devices.delete(key);
  }

  get size(): number {
    return this.devices.size;
  }
}

const EMPTY: ReadonlyMap<number, number> = new Map();
