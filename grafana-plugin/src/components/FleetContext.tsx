import React, { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { getDataSourceSrv } from '@grafana/runtime';
import { createPromClient, PromClient } from '../api/prometheusClient';
import { DEFAULT_RANGE, URL_PARAMS } from '../constants';
import { minStepFromJsonData } from '../lib/promql';
import { AppSettings } from '../lib/settings';
import { resolveRange, ResolvedRange } from '../lib/timeRange';

export interface DataSourceChoice {
  uid: string;
  name: string;
  /** The smallest range-query step worth asking for: the data source's scrape interval (Grafana's "Min step"). */
  minStepSeconds?: number;
}

export interface FleetContextValue {
  settings: AppSettings;
  datasources: DataSourceChoice[];
  datasource: DataSourceChoice | null;
  /** Empty string: every cluster. */
  cluster: string;
  range: ResolvedRange;
  params: URLSearchParams;
  setParams: (update: Record<string, string | null>) => void;
  client: PromClient | null;
  /** Changes on every refresh so pages re-run their queries. */
  refreshKey: number;
  refresh: () => void;
}

const FleetContext = createContext<FleetContextValue | null>(null);

export function listPrometheusDataSources(): DataSourceChoice[] {
  try {
    return getDataSourceSrv()
      .getList({ type: 'prometheus' })
      .map((ds) => ({ uid: ds.uid, name: ds.name, minStepSeconds: minStepFromJsonData(ds.jsonData) }));
  } catch {
    return [];
  }
}

/** The data source in the URL, else the configured one, else the first Prometheus data source. */
export function chooseDataSource(list: DataSourceChoice[], fromUrl: string | null, configured: string | undefined): DataSourceChoice | null {
  return list.find((d) => d.uid === fromUrl) ?? list.find((d) => d.uid === configured) ?? list[0] ?? null;
}

export function FleetContextProvider({ settings, children }: { settings: AppSettings; children: React.ReactNode }) {
  const [params, setSearchParams] = useSearchParams();
  const [refreshKey, setRefreshKey] = useState(0);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const datasources = useMemo(() => listPrometheusDataSources(), []);
  const dsParam = params.get(URL_PARAMS.datasource);
  const datasource = useMemo(() => chooseDataSource(datasources, dsParam, settings.datasourceUid), [datasources, dsParam, settings.datasourceUid]);
  const client = useMemo(() => (datasource ? createPromClient(datasource.uid) : null), [datasource]);
  const from = params.get(URL_PARAMS.from);
  const to = params.get(URL_PARAMS.to);
  const range = useMemo(() => resolveRange(from, to, nowMs, DEFAULT_RANGE), [from, to, nowMs]);

  const setParams = useCallback(
    (update: Record<string, string | null>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(update)) {
            if (value === null || value === '') {
              next.delete(key);
            } else {
              next.set(key, value);
            }
          }
          return next;
        },
        { replace: false }
      );
      setNowMs(Date.now());
    },
    [setSearchParams]
  );

  const refresh = useCallback(() => {
    setNowMs(Date.now());
    setRefreshKey((k) => k + 1);
  }, []);

  const value: FleetContextValue = {
    settings,
    datasources,
    datasource,
    cluster: params.get(URL_PARAMS.cluster) ?? '',
    range,
    params,
    setParams,
    client,
    refreshKey,
    refresh,
  };
  return <FleetContext.Provider value={value}>{children}</FleetContext.Provider>;
}

export function useFleet(): FleetContextValue {
  const value = useContext(FleetContext);
  if (!value) {
    throw new Error('useFleet must be used inside FleetContextProvider');
  }
  return value;
}
