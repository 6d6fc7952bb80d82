import type { MetricFamily } from '../exposition/types.js';

/** What one collection of a source produced. */
export interface Collection {
  families: MetricFamily[];
  /**
   * Input rejected during this collection (a malformed line, a broken CSV row), each message naming
   * where (file:line:column, or target and line). The good input around it is still used.
   */
  problems: string[];
  /**
   * Set when the source failed as a whole but deliberately serves its last good data (billing files
   * keep the last good price book). Makes `gpufleet_source_up` 0 while the families are still served.
   */
  stale?: SourceError;
}

/**
 * One input the exporter reads (a dcgm-exporter target, /proc/diskstats, the billing files).
 * `collect` runs at scrape time. Throwing means the source failed: its series disappear from that
 * scrape and `gpufleet_source_up{source,target}` says 0. It never returns numbers it did not read.
 */
export interface Source {
  /** Kind of input: `dcgm`, `nvme`, `billing`. */
  readonly source: string;
  /** What was read: a URL, a file path or a directory. */
  readonly target: string;
  /** The node whose input this is (node role); labels the source's health so alerts can name it. */
  readonly node?: string;
  collect(signal: AbortSignal): Promise<Collection>;
}

/** An error whose message names the input and the place in it (file:line:column, or URL). */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}
