/**
 * The exporter's in-memory form of Prometheus metric families. Collectors build these at scrape
 * time; the renderer turns them into text exposition format. Nothing here is cached between scrapes.
 */
export type MetricType = 'gauge' | 'counter' | 'untyped';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}
