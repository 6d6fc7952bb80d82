import { parseExposition } from '../../exposition/parser.js';
import { SourceError, type Collection, type Source } from '../source.js';
import { normaliseDcgm } from './normalise.js';
import { readExpositionText } from './reader.js';
import { XidState } from './xid-state.js';

export interface DcgmSourceOptions {
  /** Node name from configuration; becomes the `node` label. */
  node: string;
  /** dcgm-exporter metrics URL (or any name for `fetchText`), used in every message. */
  target: string;
  /** Replaces the HTTP read, e.g. for the simulator. Errors it throws fail the collection. */
  fetchText?: (signal: AbortSignal) => Promise<string>;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * One dcgm-exporter as a source: read, parse, normalise onto the gpufleet GPU contract.
 *
 * A failed read throws a SourceError naming the target. A body with malformed lines still counts:
 * those lines and any dropped values are reported as problems. A body in which nothing parses
 * (an HTML error page, the wrong port) is a failure, so it cannot pass for a node without GPUs.
 */
export function createDcgmSource(options: DcgmSourceOptions): Source {
  const { node, target } = options;
  const fetchText =
    options.fetchText ??
    ((signal: AbortSignal) =>
      readExpositionText(target, { signal, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes }));
  // Lives as long as the source: the XID counters must survive between scrapes.
  const xidState = new XidState();

  return {
    source: 'dcgm',
    node: node,
    target,
    async collect(signal: AbortSignal): Promise<Collection> {
      let text: string;
      try {
        text = await fetchText(signal);
      } catch (error) {
        if (error instanceof SourceError) throw error;
        throw new SourceError(`${target}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }

      const parsed = parseExposition(text, target);
      if (parsed.samples.length === 0 && parsed.errors.length > 0) {
        throw new SourceError(`${target}: not a Prometheus text exposition (${parsed.errors[0]})`);
      }
      const { families, problems } = normaliseDcgm({ samples: parsed.samples, node, origin: target, xidState });
      return { families, problems: parsed.errors.concat(problems) };
    },
  };
}
