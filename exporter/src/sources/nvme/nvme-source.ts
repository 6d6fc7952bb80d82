import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { MetricFamily, Sample } from '../../exposition/types.js';
import { SourceError, type Collection, type Source } from '../source.js';
import { NvmeCounterTracker, type NvmeDeviceCounters } from './counters.js';
import { parseDiskstats } from './diskstats.js';

export interface NvmeDeviceInfo {
  model: string;
  serial: string;
}

export interface NvmeSourceOptions {
  /** Value of the `node` label. */
  node: string;
  /** Defaults to /proc/diskstats. */
  path?: string;
  /** Defaults to /sys/block; model and serial are read from `<sysBlockPath>/<device>/device/{model,serial}`. */
  sysBlockPath?: string;
  /** Replaces reading `path` (the simulator serves generated text this way). */
  readText?: (signal: AbortSignal) => Promise<string>;
  /** Replaces reading model and serial from sysfs. */
  readDeviceInfo?: (device: string) => Promise<NvmeDeviceInfo>;
}

const DEFAULT_PATH = '/proc/diskstats';
const DEFAULT_SYS_BLOCK = '/sys/block';

/**
 * The NVMe source of the `node` role: whole NVMe namespaces from /proc/diskstats as monotonic
 * counters, plus their model and serial. An unreadable diskstats file fails the collection; a missing
 * model or serial only leaves that label empty.
 */
export function createNvmeSource(options: NvmeSourceOptions): Source {
  const path = options.path ?? DEFAULT_PATH;
  const sysBlockPath = options.sysBlockPath ?? DEFAULT_SYS_BLOCK;
  const readText = options.readText ?? ((signal: AbortSignal) => readFile(path, { encoding: 'utf8', signal }));
  const readDeviceInfo = options.readDeviceInfo ?? ((device: string) => readSysfsDeviceInfo(sysBlockPath, device));
  const tracker = new NvmeCounterTracker();
  // Collections run one after another: the wrap detection compares each reading with the previous one,
  // and two overlapping scrapes could otherwise feed readings out of order.
  let queue: Promise<unknown> = Promise.resolve();

  async function collectOnce(signal: AbortSignal): Promise<Collection> {
    let text: string;
    try {
      text = await readText(signal);
    } catch (error) {
      throw new SourceError(`${path}: cannot read: ${errorMessage(error)}`, { cause: error });
    }
    signal.throwIfAborted();
    const { records, problems } = parseDiskstats(text, path);
    const counters = tracker.observe(records);
    const infos = await Promise.all(counters.map((c) => readDeviceInfoSafely(readDeviceInfo, c.device)));
    return { families: buildFamilies(options.node, counters, infos), problems };
  }

  return {
    source: 'nvme',
    node: options.node,
    target: path,
    collect(signal: AbortSignal): Promise<Collection> {
      const result = queue.then(() => collectOnce(signal));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/** Reads `<sysBlock>/<device>/device/{model,serial}`, trimmed; an unreadable file gives "". */
export async function readSysfsDeviceInfo(sysBlockPath: string, device: string): Promise<NvmeDeviceInfo> {
  const base = join(sysBlockPath, device, 'device');
  const [model, serial] = await Promise.all([readTrimmed(join(base, 'model')), readTrimmed(join(base, 'serial'))]);
  return { model, serial };
}

async function readTrimmed(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return '';
  }
}

async function readDeviceInfoSafely(
  read: (device: string) => Promise<NvmeDeviceInfo>,
  device: string,
): Promise<NvmeDeviceInfo> {
  try {
    const info = await read(device);
    return { model: String(info.model ?? '').trim(), serial: String(info.serial ?? '').trim() };
  } catch {
    return { model: '', serial: '' };
  }
}

function buildFamilies(node: string, counters: readonly NvmeDeviceCounters[], infos: readonly NvmeDeviceInfo[]): MetricFamily[] {
  const readBytes: Sample[] = [];
  const writtenBytes: Sample[] = [];
  const ioTime: Sample[] = [];
  const reads: Sample[] = [];
  const writes: Sample[] = [];
  const info: Sample[] = [];
  counters.forEach((c, i) => {
    const labels = { node, device: c.device };
    readBytes.push({ labels, value: c.readBytes });
    writtenBytes.push({ labels, value: c.writtenBytes });
    ioTime.push({ labels, value: c.ioTimeSeconds });
    reads.push({ labels, value: c.readsCompleted });
    writes.push({ labels, value: c.writesCompleted });
    const { model, serial } = infos[i]!;
    info.push({ labels: { node, device: c.device, model, serial }, value: 1 });
  });
  return [
    { name: 'gpufleet_nvme_read_bytes_total', help: 'Bytes read from the NVMe namespace.', type: 'counter', samples: readBytes },
    { name: 'gpufleet_nvme_written_bytes_total', help: 'Bytes written to the NVMe namespace.', type: 'counter', samples: writtenBytes },
    {
      name: 'gpufleet_nvme_io_time_seconds_total',
      help: 'Seconds the NVMe namespace had I/O in flight (busy time).',
      type: 'counter',
      samples: ioTime,
    },
    { name: 'gpufleet_nvme_reads_completed_total', help: 'Read requests completed by the NVMe namespace.', type: 'counter', samples: reads },
    { name: 'gpufleet_nvme_writes_completed_total', help: 'Write requests completed by the NVMe namespace.', type: 'counter', samples: writes },
    { name: 'gpufleet_nvme_info', help: 'Identity of an NVMe namespace: model and serial of its controller.', type: 'gauge', samples: info },
  ];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
