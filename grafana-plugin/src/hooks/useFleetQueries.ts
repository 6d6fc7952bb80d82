import { useEffect, useMemo, useState } from 'react';
import { QueryResults, runQuerySet } from '../api/prometheusClient';
import { useFleet } from '../components/FleetContext';
import { Diagnosis, describeError, diagnoseEmpty } from '../lib/diagnosis';
import { chartStep, presenceQueries, Scope } from '../lib/promql';
import { scalarOf } from '../lib/prometheus';
import { QuerySet } from '../lib/queries';

export type QueryState =
  | { status: 'loading' }
  | { status: 'error'; diagnosis: Diagnosis }
  | { status: 'empty'; diagnosis: Diagnosis }
  | { status: 'done'; results: QueryResults };

const LOADING: QueryState = { status: 'loading' };
const NOTHING: QueryState = { status: 'done', results: { instant: {}, range: {} } };
const NO_DATASOURCE: QueryState = {
  status: 'error',
  diagnosis: {
    title: 'No Prometheus data source',
    action: 'Add a Prometheus data source that scrapes the gpufleet exporter, then choose it on the plugin Configuration page.',
  },
};

/**
 * Runs a page's queries whenever the data source, cluster, time range or the page's own key changes.
 * When `isEmpty` says the answer holds nothing, it asks Prometheus whether any gpufleet series exist
 * so the page can say what to fix. `build` returning null means the page has nothing to ask yet.
 * `key` names everything `build` and `isEmpty` depend on besides the shared context.
 */
export function useFleetQueries(
  build: (scope: Scope, rangeSeconds: number) => QuerySet | null,
  isEmpty: (results: QueryResults) => boolean,
  key: string,
  points = 200
): QueryState {
  const { client, cluster, range, refreshKey, datasource } = useFleet();
  const requestKey = `${datasource?.uid}|${datasource?.minStepSeconds}|${cluster}|${range.toMs}|${range.seconds}|${refreshKey}|${key}|${points}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const set = useMemo(() => build({ cluster: cluster || undefined }, range.seconds), [requestKey]);
  const [answer, setAnswer] = useState<{ key: string; state: QueryState }>({ key: '', state: LOADING });

  useEffect(() => {
    if (!client || !datasource || !set) {
      return;
    }
    let cancelled = false;
    const finish = (state: QueryState) => !cancelled && setAnswer({ key: requestKey, state });
    const scope: Scope = { cluster: cluster || undefined };
    const endSeconds = Math.floor(range.toMs / 1000);
    const window = { endSeconds, startSeconds: endSeconds - range.seconds, stepSeconds: chartStep(range.seconds, points, datasource.minStepSeconds) };
    (async () => {
      try {
        const results = await runQuerySet(client, set, window);
        if (!isEmpty(results)) {
          finish({ status: 'done', results });
          return;
        }
        const probes = presenceQueries(scope);
        const [recorded, raw] = await Promise.all([client.instant(probes.recorded, endSeconds), client.instant(probes.raw, endSeconds)]);
        finish({ status: 'empty', diagnosis: diagnoseEmpty({ recorded: scalarOf(recorded), raw: scalarOf(raw) }, cluster || undefined) });
      } catch (error) {
        finish({ status: 'error', diagnosis: describeError(error, datasource.name) });
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey, set]);

  if (!client || !datasource) {
    return NO_DATASOURCE;
  }
  if (!set) {
    return NOTHING;
  }
  return answer.key === requestKey ? answer.state : LOADING;
}
