import type { Logger } from 'pino';
import { mergeFamilies, renderFamilies } from './exposition/render.js';
import type { MetricFamily } from './exposition/types.js';
import { healthFamilies, type SourceHealth } from './source-health.js';
import type { Source } from './sources/source.js';

/**
 * The sources behind one scrape path. Every scrape collects each source afresh, so a failed source
 * contributes no series (only its health saying why) and nothing stale is ever served, except what a
 * source deliberately keeps (billing's last good price book, flagged by `stale`).
 */
export class ScrapeTarget {
  private readonly health = new Map<Source, SourceHealth>();

  constructor(
    readonly sources: readonly Source[],
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    for (const s of sources) {
      this.health.set(s, { source: s.source, target: s.target, node: s.node, up: false, lastSuccessSeconds: undefined, durationSeconds: 0, rejected: 0 });
    }
  }

  /** Collects every source in parallel and returns the merged families plus health. Never throws. */
  async collect(signal: AbortSignal): Promise<MetricFamily[]> {
    const results = await Promise.all(this.sources.map((source) => this.collectOne(source, signal)));
    const health = [...this.health.values()];
    return mergeFamilies([...results, healthFamilies(health)]);
  }

  async render(signal: AbortSignal): Promise<string> {
    return renderFamilies(await this.collect(signal));
  }

  /** True once every source has succeeded at least once. */
  get ready(): boolean {
    for (const h of this.health.values()) if (h.lastSuccessSeconds === undefined) return false;
    return true;
  }

  healthRecords(): SourceHealth[] {
    return [...this.health.values()];
  }

  private async collectOne(source: Source, signal: AbortSignal): Promise<MetricFamily[]> {
    const health = this.health.get(source) as SourceHealth;
    const started = performance.now();
    try {
      const collection = await source.collect(signal);
      health.durationSeconds = (performance.now() - started) / 1000;
      health.rejected = collection.problems.length;
      for (const problem of collection.problems.slice(0, 20)) {
        this.log.warn({ source: source.source, target: source.target }, problem);
      }
      if (collection.problems.length > 20) {
        this.log.warn({ source: source.source, target: source.target }, `${collection.problems.length - 20} more problems not logged`);
      }
      if (collection.stale) {
        health.up = false;
        this.log.error({ source: source.source, target: source.target, err: collection.stale.message }, 'source failed; serving its last good data');
      } else {
        health.up = true;
        health.lastSuccessSeconds = this.clock() / 1000;
      }
      return collection.families;
    } catch (err) {
      health.durationSeconds = (performance.now() - started) / 1000;
      health.up = false;
      health.rejected = 0;
      this.log.error({ source: source.source, target: source.target, err: (err as Error).message }, 'source failed');
      return [];
    }
  }
}
