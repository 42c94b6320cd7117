/**
 * What a component gives the metrics catalog (`metrics-catalog.ts`): the metric sources it produces, each
 * with the metrics dashboards and rules may read. Histograms are listed once by their base name; `_bucket`,
 * `_sum` and `_count` are implied.
 */
import type { StackConfig } from '../config/types';

/** Where series come from: a component's exporter or a part of one, the scrape itself, a rule, the services. */
export type MetricSource = string;

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricEntry {
  readonly name: string;
  /** What exports it: the component whose /metrics serves it, the scrape itself, a generator, a rule, or the services. */
  readonly source: MetricSource;
  readonly type: MetricType;
  readonly help: string;
  /**
   * The labels the exporter gives the series (the scrape job adds the source's `targetLabels`, the scrape `job`
   * and `instance`; a histogram's `le` is implied). Listed for every cluster source. @default - not recorded
   */
  readonly labels?: readonly string[];
  /** For recorded series: the sources the recording rule reads; it records only while all of them are enabled. */
  readonly requires?: readonly MetricSource[];
  /**
   * A label matcher outside which the series do not exist (the exporter never produces them there): every
   * query of the metric must carry it, or its panel or alert stays empty.
   */
  readonly onlyWith?: string;
}

/** A metric as its source lists it. */
export type MetricDef = Omit<MetricEntry, 'source'>;

/** One source of metrics a component produces. */
export interface MetricSourceSpec {
  readonly source: MetricSource;
  /** Does the config produce it? Asked only while its component is enabled. @default - always */
  enabled?(cfg: StackConfig): boolean;
  /** The labels its scrape job adds to every series, besides `job` and `instance`. Listed for every cluster source. @default - not recorded */
  readonly targetLabels?: readonly string[];
  readonly metrics: readonly MetricDef[];
}

export function metric(type: MetricType, name: string, help: string, labels?: readonly string[], onlyWith?: string): MetricDef {
  return { name, type, help, ...(labels !== undefined ? { labels } : {}), ...(onlyWith !== undefined ? { onlyWith } : {}) };
}

/** A series a recording rule records, with the sources the rule reads. */
export function recorded(name: string, help: string, labels: readonly string[], requires: readonly MetricSource[]): MetricDef {
  return { name, type: 'gauge', help, labels, requires };
}

/** The concrete series names of one metric (a histogram's `_bucket`, `_sum` and `_count`). */
export function seriesNames(e: MetricDef): string[] {
  return e.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => e.name + x) : [e.name];
}

/** The series names of a source's metrics, sorted: a scrape job's keep-list. */
export function keepList(spec: MetricSourceSpec): string[] {
  return spec.metrics.flatMap(seriesNames).sort();
}
