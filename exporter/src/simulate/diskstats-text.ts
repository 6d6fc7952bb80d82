import { diskReading, type DiskReading, type FleetModel, type ModelNode } from './fleet-model.js';

/*
 * Renders a simulated node's /proc/diskstats: its NVMe namespaces plus the lines a parser has to
 * skip (a loop device, an NVMe partition, the SATA boot disk and its partition), in the node's
 * kernel format (14, 18 or 20 fields). The millisecond fields are printed modulo 2^32 as the
 * kernel's `unsigned int` does, so long-running simulated devices wrap like real ones.
 */

const WRAP_32 = 2 ** 32;

export function renderDiskstats(model: FleetModel, node: ModelNode, tMs: number): string {
  const fields = node.scenario.diskstatsFields;
  const sinceBootS = node.uptimeAtStartS + model.elapsedSeconds(tMs);
  const lines: string[] = [];

  // A loop device that only saw a few reads at boot.
  lines.push(line(7, 0, 'loop0', constantReading(58, 2224, 21), fields));

  node.nvme.forEach((device, i) => {
    const reading = model.readNvme(node, device, tMs);
    lines.push(line(device.major, device.minor, device.name, reading, fields));
    // The first namespace carries a small partition (EFI or scratch) that a parser must not count twice.
    if (i === 0) lines.push(line(device.major, device.minor + 1, `${device.name}p1`, scaled(reading, 0.001), fields));
  });

  // The boot disk: logs and packages, far slower than the NVMe scratch devices.
  const boot = diskReading(40_000, 350_000, 0.004, 0.9, 1.8, sinceBootS);
  lines.push(line(8, 0, 'sda', boot, fields));
  lines.push(line(8, 1, 'sda1', scaled(boot, 0.98), fields));
  return lines.join('\n') + '\n';
}

/** One line in the kernel's layout: `%4d %7d %s` then the counters separated by single spaces. */
function line(major: number, minor: number, name: string, r: DiskReading, fields: 14 | 18 | 20): string {
  let text =
    `${String(major).padStart(4)} ${String(minor).padStart(7)} ${name} ` +
    `${r.readsCompleted} ${r.readsMerged} ${r.sectorsRead} ${wrap(r.readTimeMs)} ` +
    `${r.writesCompleted} ${r.writesMerged} ${r.sectorsWritten} ${wrap(r.writeTimeMs)} ` +
    `${r.ioInProgress} ${wrap(r.ioTimeMs)} ${wrap(r.weightedIoTimeMs)}`;
  if (fields >= 18) text += ` ${r.discardsCompleted} 0 ${r.sectorsDiscarded} ${wrap(r.discardTimeMs)}`;
  if (fields === 20) text += ` ${r.flushesCompleted} ${wrap(r.flushTimeMs)}`;
  return text;
}

function wrap(ms: number): number {
  return ms % WRAP_32;
}

function scaled(r: DiskReading, factor: number): DiskReading {
  const out = { ...r };
  for (const key of Object.keys(out) as Array<keyof DiskReading>) out[key] = Math.floor(out[key] * factor);
  return out;
}

function constantReading(reads: number, sectors: number, timeMs: number): DiskReading {
  return {
    readsCompleted: reads,
    readsMerged: 0,
    sectorsRead: sectors,
    readTimeMs: timeMs,
    writesCompleted: 0,
    writesMerged: 0,
    sectorsWritten: 0,
    writeTimeMs: 0,
    ioInProgress: 0,
    ioTimeMs: timeMs * 2,
    weightedIoTimeMs: timeMs,
    discardsCompleted: 0,
    sectorsDiscarded: 0,
    discardTimeMs: 0,
    flushesCompleted: 0,
    flushTimeMs: 0,
  };
}
