/** Tempo's metrics that dashboards and rules read: its own (job tempo) and its metrics-generator's. */
import type { StackConfig } from '../../config/types';
import { type MetricSourceSpec, metric } from '../../lib/metric-source';
import { TEMPO_METRICS } from './tempo-config';

// The labels and values of the generator's series, for the queries that read them (Grafana's trace links).
export { SPAN_STATUS_ERROR, TEMPO_EXEMPLAR_TRACE_ID_LABEL, TEMPO_METRIC_LABELS } from './tempo-config';

/** Tempo metrics-generator series (span metrics and service graph), remote-written into the metrics store. */
export const SPAN_METRICS = {
  calls: TEMPO_METRICS.spanMetrics.callsTotal,
  latency: TEMPO_METRICS.spanMetrics.latency,
  size: TEMPO_METRICS.spanMetrics.sizeTotal,
  graphRequests: TEMPO_METRICS.serviceGraph.requestTotal,
  graphFailed: TEMPO_METRICS.serviceGraph.requestFailedTotal,
  graphServerSeconds: TEMPO_METRICS.serviceGraph.requestServerSeconds,
  graphClientSeconds: TEMPO_METRICS.serviceGraph.requestClientSeconds,
} as const;

/**
 * Span metrics of the spans that stand for work a service handled: a request it served (SERVER) or a message
 * it processed (CONSUMER). Client, producer and internal spans would count a request once per outgoing call.
 */
export const HANDLED_SPANS = 'span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"';

export const TEMPO_OWN_METRICS: MetricSourceSpec = {
  source: 'tempo',
  metrics: [
    metric('counter', 'tempo_distributor_spans_received_total', 'spans received, by tenant'),
    metric('counter', 'tempo_distributor_bytes_received_total', 'span bytes received, by tenant'),
    metric('counter', 'tempo_discarded_spans_total', 'spans rejected, by reason and tenant'),
    metric('gauge', 'tempodb_blocklist_length', 'blocks in the backend, by tenant'),
  ],
};

const generating = (cfg: StackConfig): boolean => cfg.tempo.metricsGenerator;

/** The metrics-generator's span metrics, remote-written into the metrics store (external label cluster, no job). */
export const SPAN_METRICS_SOURCE: MetricSourceSpec = {
  source: 'span-metrics',
  enabled: generating,
  metrics: [
    metric('counter', SPAN_METRICS.calls, 'spans, by service, span_name, span_kind, status_code'),
    metric('histogram', SPAN_METRICS.latency, 'span duration in seconds, same labels'),
    metric('counter', SPAN_METRICS.size, 'span bytes, same labels'),
  ],
};

/** The metrics-generator's service graph, remote-written like the span metrics. */
export const SERVICE_GRAPH_SOURCE: MetricSourceSpec = {
  source: 'service-graph',
  enabled: generating,
  metrics: [
    metric('counter', SPAN_METRICS.graphRequests, 'client/server request pairs, by client and server'),
    metric('counter', SPAN_METRICS.graphFailed, 'failed client/server request pairs'),
    metric('histogram', SPAN_METRICS.graphServerSeconds, 'server-side duration of an edge'),
    metric('histogram', SPAN_METRICS.graphClientSeconds, 'client-side duration of an edge'),
  ],
};
