/** Prometheus's limits derived from its memory, and the series budget they allow (planning figures: `src/config/sizing.ts`). */
import { MiB, memoryLimitBytes } from '../../config/sizing';
import type { PrometheusConfig, StackConfig } from '../../config/types';
import { CADVISOR_SERIES_PER_CONTAINER } from '../cadvisor/sizing';
import type { CapacityFigure } from '../component';
import type { SeriesBudget } from '../../lib/series-budget';

/** Containers per node: the kubelet's default maxPods (110) at a little over two containers each (a planning figure). */
export const CONTAINERS_PER_NODE = 250;

/** What one unit of load costs. */
export const PROMETHEUS_COST = {
  /** One active series: head chunk, labels, postings, and churn; 8 KiB with GC headroom. */
  bytesPerSeries: 8 * 1024,
  /** One float sample a PromQL query holds (timestamp and value). */
  bytesPerSample: 16,
} as const;

/** Shares of Prometheus's memory limit that one in-memory structure may take. */
export const MEMORY_SHARE = {
  /** The active series. */
  series: 0.5,
  /** Every concurrent PromQL query at its sample ceiling, together. */
  queries: 0.4,
} as const;

/** Prometheus's `--query.max-samples` default, kept as the ceiling. */
const PROMETHEUS_MAX_SAMPLES_DEFAULT = 50_000_000;
/** Prometheus's `--query.max-concurrency` default, kept as the ceiling. */
const PROMETHEUS_MAX_CONCURRENCY_DEFAULT = 20;

/** `sample_limit` of the stack's own components: a runaway guard well above what any of them exposes. */
export const COMPONENT_SAMPLE_LIMIT = 50_000;

export interface PrometheusSizing {
  /** Active series the memory limit holds (planning figure, not enforced by Prometheus). */
  readonly activeSeries: number;
  /** `--query.max-concurrency`: one query per 512 MiB, between 4 (a dashboard's panels) and upstream's 20. */
  readonly queryConcurrency: number;
  /** `--query.max-samples`: the concurrent queries' share of memory, split between them. */
  readonly queryMaxSamples: number;
  /** `sample_limit` of a node-containers job (per node: the cAdvisor DaemonSet's, the kubelet's cAdvisor): a full node's containers. */
  readonly nodeContainersSampleLimit: number;
  /** `sample_limit` of the annotated-pods job (per pod): a tenth of the series budget. */
  readonly podSampleLimit: number;
}

export function prometheusSizing(p: PrometheusConfig): PrometheusSizing {
  const mem = memoryLimitBytes(p.resources);
  const activeSeries = Math.floor((mem * MEMORY_SHARE.series) / PROMETHEUS_COST.bytesPerSeries);
  const queryConcurrency = Math.min(PROMETHEUS_MAX_CONCURRENCY_DEFAULT, Math.max(4, Math.floor(mem / (512 * MiB))));
  const queryMaxSamples = Math.min(
    PROMETHEUS_MAX_SAMPLES_DEFAULT,
    Math.floor((mem * MEMORY_SHARE.queries) / queryConcurrency / PROMETHEUS_COST.bytesPerSample),
  );
  return {
    activeSeries,
    queryConcurrency,
    queryMaxSamples,
    nodeContainersSampleLimit: CONTAINERS_PER_NODE * CADVISOR_SERIES_PER_CONTAINER,
    podSampleLimit: Math.floor(activeSeries / 10),
  };
}

/** Its series budget as the metrics store (`StackComponent.seriesBudget`). */
export function prometheusSeriesBudget(cfg: StackConfig): SeriesBudget {
  const { activeSeries, nodeContainersSampleLimit } = prometheusSizing(cfg.prometheus);
  return { activeSeries, nodeContainersSampleLimit };
}

/** The "Sized for" figure: the series budget the memory limit holds. */
export function prometheusCapacity(cfg: StackConfig): CapacityFigure[] {
  return [{ label: 'active series', value: prometheusSizing(cfg.prometheus).activeSeries }];
}
