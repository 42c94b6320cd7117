/**
 * Tempo's Grafana datasource (the traces role), with the correlations that start from a span:
 * - traces -> logs: a span opens the logs of its service and pod around the span, filtered by trace id;
 * - traces -> metrics: a span opens RED queries on Tempo's span metrics for its service;
 * - service graph and node graph from the metrics-generator's series in the metrics datasource.
 */
import { TIMEOUTS } from '../../config/sizing';
import { type DatasourceContext, type DatasourceContribution, QUERY_PLACEHOLDERS } from '../../lib/datasources';
import { otlpLabelOf } from '../../lib/otlp';
import { TEMPO_DATASOURCE } from './endpoints';
import { SPAN_METRICS as TEMPO_SPAN_METRICS, SPAN_STATUS_ERROR, TEMPO_METRIC_LABELS } from './metrics';
import { TEMPO_STREAM_OVER_HTTP } from './tempo-config';

/** A `{key, value}` tag mapping: span/resource attribute `key` becomes label `value` in the target query. */
export interface TagMapping {
  key: string;
  value?: string;
}

export interface TracesToLogsV2 {
  datasourceUid: string;
  tags: TagMapping[];
  spanStartTimeShift: string;
  spanEndTimeShift: string;
  filterByTraceID: boolean;
  filterBySpanID: boolean;
  customQuery: boolean;
  query?: string;
}

export interface TracesToMetricsQuery {
  name: string;
  query: string;
}

export interface TracesToMetrics {
  datasourceUid: string;
  tags: TagMapping[];
  spanStartTimeShift: string;
  spanEndTimeShift: string;
  queries: TracesToMetricsQuery[];
}

export interface TempoJsonData {
  /** Grafana's HTTP timeout for this datasource, seconds (else `[dataproxy] timeout`). */
  timeout?: number;
  tracesToLogsV2?: TracesToLogsV2;
  tracesToMetrics?: TracesToMetrics;
  serviceMap?: { datasourceUid: string };
  nodeGraph: { enabled: boolean };
  search: { hide: boolean };
  traceQuery?: { timeShiftEnabled: boolean; spanStartTimeShift: string; spanEndTimeShift: string };
  streamingEnabled?: { search: boolean; metrics: boolean };
}

/**
 * Span metrics series of Tempo's metrics-generator (remote-written to the metrics store), from Tempo's own
 * constants. `service` is the generator's name for `service.name`, the same as the stack's service label.
 */
export const SPAN_METRICS = {
  calls: TEMPO_SPAN_METRICS.calls,
  latencyBucket: `${TEMPO_SPAN_METRICS.latency}_bucket`,
  statusCodeLabel: TEMPO_METRIC_LABELS.statusCode,
  errorStatus: SPAN_STATUS_ERROR,
  spanNameLabel: TEMPO_METRIC_LABELS.spanName,
} as const;

/**
 * Every query the datasource carries, in one place, so tests can parse each one. PromQL with Grafana's
 * placeholders; substitute `QUERY_PLACEHOLDERS.tags` with a matcher list before parsing.
 */
export const GRAFANA_QUERIES = {
  /** Traces -> metrics (RED on span metrics, for the span's service). */
  tracesToMetrics: [
    {
      name: 'Request rate',
      query: `sum by (${SPAN_METRICS.spanNameLabel}) (rate(${SPAN_METRICS.calls}{${QUERY_PLACEHOLDERS.tags}}[5m]))`,
    },
    {
      name: 'Error rate',
      // The fixed matcher comes first: `{a="b",}` is valid PromQL when `$__tags` expands to nothing.
      query: `sum by (${SPAN_METRICS.spanNameLabel}) (rate(${SPAN_METRICS.calls}{${SPAN_METRICS.statusCodeLabel}="${SPAN_METRICS.errorStatus}",${QUERY_PLACEHOLDERS.tags}}[5m]))`,
    },
    {
      name: 'p95 latency',
      query: `histogram_quantile(0.95, sum by (le) (rate(${SPAN_METRICS.latencyBucket}{${QUERY_PLACEHOLDERS.tags}}[5m])))`,
    },
  ],
} as const satisfies Record<string, readonly TracesToMetricsQuery[]>;

/** Traces -> logs/metrics look this far around the span, so logs written just before or after it show up. */
const SPAN_TIME_SHIFT = { start: '-5m', end: '5m' } as const;

/**
 * Span attributes mapped to the stack's shared label names, from the one attribute -> label mapping
 * (`src/lib/otlp.ts`): the service, namespace and pod a span's logs are filtered by.
 */
export const SPAN_TAG_MAPPINGS: readonly TagMapping[] = ['service.name', 'k8s.namespace.name', 'k8s.pod.name'].map((key) => ({ key, value: otlpLabelOf(key) }));

export function tempoDatasources({ cfg, endpoints, connect }: DatasourceContext): DatasourceContribution[] {
  const metricsGenerator = cfg.tempo.metricsGenerator;
  return [{
    ...TEMPO_DATASOURCE,
    url: connect(endpoints.tempo.http, 'query', 'queries traces (Tempo datasource)').url,
    jsonData: (uidOf): TempoJsonData & Record<string, unknown> => {
      const logs = uidOf('logs');
      const metrics = uidOf('metrics');
      return {
        // Above Tempo's HTTP write timeout, itself above its query timeout (`TIMEOUTS`, src/config/sizing.ts).
        timeout: TIMEOUTS.grafana,
        ...(logs !== undefined ? {
          tracesToLogsV2: {
            datasourceUid: logs,
            tags: SPAN_TAG_MAPPINGS.map((t) => ({ ...t })),
            spanStartTimeShift: SPAN_TIME_SHIFT.start,
            spanEndTimeShift: SPAN_TIME_SHIFT.end,
            // Grafana builds `{service="...",namespace="...",pod="..."} |= "<trace id>"`: the trace id is in
            // every JSON line, so the line filter finds it whether or not structured metadata was attached.
            filterByTraceID: true,
            filterBySpanID: false,
            customQuery: false,
          },
        } : {}),
        // Span metrics and the service graph exist only when the metrics-generator writes them.
        ...(metricsGenerator && metrics !== undefined ? {
          tracesToMetrics: {
            datasourceUid: metrics,
            // Only labels the span metrics carry (service, and namespace via the generator's dimension mapping).
            tags: [
              { key: 'service.name', value: TEMPO_METRIC_LABELS.service },
              { key: 'k8s.namespace.name', value: TEMPO_METRIC_LABELS.namespace },
            ],
            spanStartTimeShift: SPAN_TIME_SHIFT.start,
            spanEndTimeShift: SPAN_TIME_SHIFT.end,
            queries: GRAFANA_QUERIES.tracesToMetrics.map((q) => ({ ...q })),
          },
          serviceMap: { datasourceUid: metrics },
        } : {}),
        nodeGraph: { enabled: true },
        // TraceQL search (the query editor's Search tab).
        search: { hide: false },
        // Trace-by-id lookups search this window around the time range instead of every block.
        traceQuery: { timeShiftEnabled: true, spanStartTimeShift: '-30m', spanEndTimeShift: '30m' },
        // Results arrive progressively; needs `stream_over_http_enabled` in Tempo, else plain HTTP requests.
        streamingEnabled: { search: TEMPO_STREAM_OVER_HTTP, metrics: TEMPO_STREAM_OVER_HTTP },
      };
    },
  }];
}
