import { useEffect, useState } from 'react';
import { useFleet } from '../components/FleetContext';

/** Cluster label values of the fleet's recorded series; empty while loading or on error (the page shows the error). */
export function useClusters(): string[] {
  const { client, refreshKey } = useFleet();
  const [clusters, setClusters] = useState<{ client: unknown; values: string[] }>({ client: null, values: [] });
  useEffect(() => {
    let cancelled = false;
    client
      ?.labelValues('cluster', 'fleet:gpufleet_gpus:count')
      .then((values) => !cancelled && setClusters({ client, values }))
      .catch(() => !cancelled && setClusters({ client, values: [] }));
    return () => {
      cancelled = true;
    };
  }, [client, refreshKey]);
  return clusters.client === client ? clusters.values : [];
}
