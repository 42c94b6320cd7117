/**
 * The metrics catalog: every metric name the stack produces that a dashboard or rule may use, by source,
 * gathered from the components' `metricSources`. It is the single list the tests check dashboards and rules
 * against ("is this a metric the stack actually produces, with a component that is enabled?"). Adding a query
 * on a new metric means adding the metric to its component first, with where it comes from and, for the
 * cluster sources, the labels it carries.
 *
 * A name may be listed once per source (the same container series may come from two exporters).
 */
import type { StackConfig } from '../config/types';
import { registeredComponents } from './registered-components';
import { type MetricEntry, type MetricSource, type MetricSourceSpec, seriesNames } from './metric-source';

export type { MetricEntry, MetricSource, MetricType } from './metric-source';
export { seriesNames } from './metric-source';

/** Every component's sources, in registry order. */
function sourceSpecs(): MetricSourceSpec[] {
  return registeredComponents().flatMap((c) => c.metricSources ?? []);
}

/** Every metric of every source, in registry order. */
export function metricsCatalog(): MetricEntry[] {
  return sourceSpecs().flatMap((s) => s.metrics.map((e) => ({ ...e, source: s.source })));
}

/** An entry is produced when its source is enabled and, for recorded series, every source its rule reads. */
function produced(e: MetricEntry, sources: ReadonlySet<MetricSource>): boolean {
  return sources.has(e.source) && (e.requires ?? []).every((r) => sources.has(r));
}

/**
 * Every concrete series name the catalog allows (histograms expanded to `_bucket`, `_sum`, `_count`); with
 * `sources`, only what those sources produce.
 */
export function catalogNames(sources?: ReadonlySet<MetricSource>): Set<string> {
  const names = new Set<string>();
  for (const e of metricsCatalog()) if (sources === undefined || produced(e, sources)) for (const n of seriesNames(e)) names.add(n);
  return names;
}

/** The series names one source exports that the stack reads: a cluster target's keep-list. */
export function sourceMetricNames(source: MetricSource): string[] {
  return metricsCatalog().filter((e) => e.source === source).flatMap(seriesNames).sort();
}

/** The labels each source's scrape job adds to its series (`targetLabels`), for the sources that list them. */
export function sourceTargetLabels(): ReadonlyMap<MetricSource, readonly string[]> {
  return new Map(sourceSpecs().flatMap((s) => (s.targetLabels !== undefined ? [[s.source, s.targetLabels] as const] : [])));
}

/** Labels every series may carry: `job` and `instance` from the scrape, `cluster` from the external labels. */
export const UNIVERSAL_LABELS: readonly string[] = ['__name__', 'job', 'instance', 'cluster'];

/**
 * The labels a query may match on for `series` produced by `sources`, or undefined where the catalog does
 * not record them (then any label passes).
 */
export function knownLabels(series: string, sources?: ReadonlySet<MetricSource>): Set<string> | undefined {
  const entries = metricsCatalog().filter((e) => seriesNames(e).includes(series) && (sources === undefined || produced(e, sources)));
  if (entries.length === 0 || entries.some((e) => e.labels === undefined)) return undefined;
  const targetLabels = sourceTargetLabels();
  const out = new Set<string>(UNIVERSAL_LABELS);
  for (const e of entries) {
    for (const l of [...e.labels!, ...(targetLabels.get(e.source) ?? [])]) out.add(l);
    if (e.type === 'histogram' && series.endsWith('_bucket')) out.add('le');
  }
  return out;
}

/** The sources of metrics a config produces: those of the enabled components that the config turns on. */
export function enabledMetricSources(cfg: StackConfig): Set<MetricSource> {
  return new Set(registeredComponents().filter((c) => c.enabled(cfg)).flatMap((c) => c.metricSources ?? []).filter((s) => s.enabled?.(cfg) ?? true).map((s) => s.source));
}
