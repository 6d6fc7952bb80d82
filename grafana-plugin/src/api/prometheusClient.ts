import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { InstantSample, parseInstant, parseLabelValues, parseRange, RangeSeries } from '../lib/prometheus';
import { QuerySet } from '../lib/queries';

/**
 * Queries a Prometheus-compatible data source through Grafana's data source proxy, which forwards the
 * Prometheus HTTP API with the data source's own URL and credentials.
 */
export interface PromClient {
  instant(query: string, timeSeconds: number): Promise<InstantSample[]>;
  range(query: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<RangeSeries[]>;
  labelValues(label: string, match: string): Promise<string[]>;
}

export function createPromClient(datasourceUid: string): PromClient {
  const base = `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/api/v1`;
  const get = async (path: string, params: Record<string, string>): Promise<unknown> => {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({ url: `${base}/${path}`, method: 'GET', params, showErrorAlert: false, showSuccessAlert: false })
    );
    return response.data;
  };
  return {
    instant: async (query, timeSeconds) => parseInstant(await get('query', { query, time: String(timeSeconds) })),
    range: async (query, start, end, step) =>
      parseRange(await get('query_range', { query, start: String(start), end: String(end), step: String(step) })),
    labelValues: async (label, match) =>
      parseLabelValues(await get(`label/${encodeURIComponent(label)}/values`, { 'match[]': match })),
  };
}

export interface QueryResults {
  instant: Record<string, InstantSample[]>;
  range: Record<string, RangeSeries[]>;
}

/** Runs a page's queries in parallel; the first failure rejects (the page shows one error, not ten). */
export async function runQuerySet(
  client: PromClient,
  set: QuerySet,
  window: { endSeconds: number; startSeconds: number; stepSeconds: number }
): Promise<QueryResults> {
  const instantEntries = Object.entries(set.instant);
  const rangeEntries = Object.entries(set.range);
  const [instantValues, rangeValues] = await Promise.all([
    Promise.all(instantEntries.map(([, query]) => client.instant(query, window.endSeconds))),
    Promise.all(rangeEntries.map(([, query]) => client.range(query, window.startSeconds, window.endSeconds, window.stepSeconds))),
  ]);
  const results: QueryResults = { instant: {}, range: {} };
  instantEntries.forEach(([name], i) => (results.instant[name] = instantValues[i]));
  rangeEntries.forEach(([name], i) => (results.range[name] = rangeValues[i]));
  return results;
}
