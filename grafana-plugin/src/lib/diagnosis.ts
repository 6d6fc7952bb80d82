/** Turns an empty or failed page into a sentence that says what to do next. */

export interface Presence {
  recorded: number | null;
  raw: number | null;
}

export interface Diagnosis {
  title: string;
  action: string;
}

export function diagnoseEmpty(presence: Presence, clusterLabel: string | undefined): Diagnosis {
  const where = clusterLabel ? ` in cluster "${clusterLabel}"` : '';
  if (!presence.raw) {
    return {
      title: `No gpufleet series${where}`,
      action: 'Is the exporter scraped? Check that Prometheus has a scrape job for the gpufleet exporter (Status → Targets) and that the chosen data source points at that Prometheus.',
    };
  }
  if (!presence.recorded) {
    return {
      title: `No gpufleet recorded series${where}`,
      action: 'The exporter is scraped but the recording rules are not loaded: add the alerts/ rule files to rule_files in prometheus.yml and reload Prometheus. New rules need one evaluation interval (30 s) before data appears.',
    };
  }
  return {
    title: 'Nothing to show for this selection',
    action: 'The fleet reports data, but not for this view: widen the time range or pick another cluster.',
  };
}

/** A readable message for a failed request, naming the data source so the reader knows where to look. */
export function describeError(error: unknown, datasourceName: string): Diagnosis {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  const detail = messageOf(error);
  if (status === 404) {
    return {
      title: `Data source "${datasourceName}" not found`,
      action: 'Pick another Prometheus data source above, or set the default one on the plugin Configuration page.',
    };
  }
  if (status === 401 || status === 403) {
    return { title: `Not allowed to query "${datasourceName}"`, action: 'Ask an administrator for Viewer access to this data source.' };
  }
  if (typeof status === 'number' && status >= 500) {
    return {
      title: `"${datasourceName}" did not answer (${status})`,
      action: `Check that Prometheus is up and reachable from Grafana. ${detail}`.trim(),
    };
  }
  return { title: `Query to "${datasourceName}" failed`, action: detail || 'Check the data source settings and that it is a Prometheus-compatible data source.' };
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') {
    return error;
  }
  if (typeof error === 'object' && error !== null) {
    const e = error as { data?: { error?: unknown; message?: unknown }; message?: unknown; statusText?: unknown };
    for (const candidate of [e.data?.error, e.data?.message, e.message, e.statusText]) {
      if (typeof candidate === 'string' && candidate !== '') {
        return candidate;
      }
    }
  }
  return '';
}
