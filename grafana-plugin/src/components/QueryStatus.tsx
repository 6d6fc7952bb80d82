import React from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { QueryState } from '../hooks/useFleetQueries';
import { testIds } from './testIds';

/** Renders loading, error and empty states with what to do; renders `children(results)` once data is there. */
export function QueryStatus({ state, children }: { state: QueryState; children: (results: QueryResults) => React.ReactNode }) {
  switch (state.status) {
    case 'loading':
      return (
        <div data-testid={testIds.state.loading}>
          <LoadingPlaceholder text="Querying Prometheus…" />
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.state.error}>
          <Alert severity="error" title={state.diagnosis.title}>
            {state.diagnosis.action}
          </Alert>
        </div>
      );
    case 'empty':
      return (
        <div data-testid={testIds.state.empty}>
          <Alert severity="info" title={state.diagnosis.title}>
            {state.diagnosis.action}
          </Alert>
        </div>
      );
    default:
      return <>{children(state.results)}</>;
  }
}
