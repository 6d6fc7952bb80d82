/**
 * Parser for the text of /proc/diskstats.
 *
 * Each line is `major minor name` followed by 11 (kernel < 4.18), 15 (4.18+, discard fields) or
 * 17 (5.5+, flush fields) numbers, so a line has 14, 18 or 20 whitespace-separated fields.
 * Only whole NVMe namespaces (`nvme<ctrl>n<ns>`) are returned: partitions (`nvme0n1p1`) would count
 * the same I/O twice, and hidden multipath paths (`nvme0c0n1`) duplicate their namespace.
 */

/** The fields of one NVMe namespace line that the exporter uses, exactly as the kernel printed them. */
export interface DiskstatsRecord {
  device: string;
  major: number;
  minor: number;
  /** 1-based line in the input, for messages. */
  line: number;
  readsCompleted: number;
  readsMerged: number;
  sectorsRead: number;
  /** Milliseconds spent reading; an `unsigned int` in the kernel, so it wraps at 2^32. */
  readTimeMs: number;
  writesCompleted: number;
  writesMerged: number;
  sectorsWritten: number;
  /** Milliseconds spent writing; wraps at 2^32. */
  writeTimeMs: number;
  ioInProgress: number;
  /** Milliseconds the device had I/O in flight (io_ticks); wraps at 2^32. */
  ioTimeMs: number;
  weightedIoTimeMs: number;
}

export interface DiskstatsParseResult {
  records: DiskstatsRecord[];
  /** Rejected lines, each as `file:line: reason`. */
  problems: string[];
}

/** The kernel's diskstats sector is always 512 bytes, whatever the device's logical block size. */
export const DISKSTATS_SECTOR_BYTES = 512;

const FIELD_COUNTS: ReadonlySet<number> = new Set([14, 18, 20]);
const NVME_NAMESPACE = /^nvme\d+n\d+$/;
// Counters are at most 64-bit: 20 decimal digits. Anything longer is not a kernel number.
const UNSIGNED = /^\d{1,20}$/;
const MAX_UINT64 = 2 ** 64;

/** True for a whole NVMe namespace block device name such as `nvme0n1` or `nvme12n3`. */
export function isNvmeNamespace(device: string): boolean {
  return NVME_NAMESPACE.test(device);
}

/**
 * Parses /proc/diskstats text. `file` names the input in problem messages. Malformed lines are
 * reported and skipped; the good lines around them are still returned. Never throws on input.
 */
export function parseDiskstats(text: string, file: string): DiskstatsParseResult {
  const records: DiskstatsRecord[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw === '') continue;
    const lineNumber = index + 1;
    const fields = raw.split(/\s+/);

    if (!FIELD_COUNTS.has(fields.length)) {
      problems.push(`${file}:${lineNumber}: expected 14, 18 or 20 fields, found ${fields.length}`);
      continue;
    }
    const device = fields[2]!;
    if (!isNvmeNamespace(device)) continue;

    const numbers = parseUnsignedFields(fields);
    if (typeof numbers === 'string') {
      problems.push(`${file}:${lineNumber}: ${device}: ${numbers}`);
      continue;
    }
    if (seen.has(device)) {
      problems.push(`${file}:${lineNumber}: ${device} appears more than once; the first line is used`);
      continue;
    }
    seen.add(device);
    records.push({
      device,
      major: numbers[0]!,
      minor: numbers[1]!,
      line: lineNumber,
      readsCompleted: numbers[3]!,
      readsMerged: numbers[4]!,
      sectorsRead: numbers[5]!,
      readTimeMs: numbers[6]!,
      writesCompleted: numbers[7]!,
      writesMerged: numbers[8]!,
      sectorsWritten: numbers[9]!,
      writeTimeMs: numbers[10]!,
      ioInProgress: numbers[11]!,
      ioTimeMs: numbers[12]!,
      weightedIoTimeMs: numbers[13]!,
    });
  }
  return { records, problems };
}

/** Numbers of every field except the name (index 2 is left as NaN); a reason string when one is not a number. */
function parseUnsignedFields(fields: readonly string[]): number[] | string {
  const numbers = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    if (i === 2) {
      numbers[i] = Number.NaN;
      continue;
    }
    const field = fields[i]!;
    if (!UNSIGNED.test(field)) return `field ${i + 1} is not an unsigned integer: ${JSON.stringify(field.slice(0, 40))}`;
    const value = Number(field);
    if (value >= MAX_UINT64) return `field ${i + 1} exceeds 64 bits: ${field}`;
    numbers[i] = value;
  }
  return numbers;
}
