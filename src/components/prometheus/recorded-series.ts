/** The series the RED recording rules record (`rules.ts`), for the catalog and the queries that read them. */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';
import { APP_METRICS, MESSAGING_METRICS } from '../../lib/signals';
import { SPAN_METRICS } from '../tempo/metrics';

/**
 * Recorded series of the RED rules (`rules.ts`). Every one carries `service`, `source`
 * (`metrics` from the service's own HTTP metrics, `messages` from its own messaging metrics, `traces` from
 * Tempo span metrics) and, for the service's own series, `namespace`.
 */
export const RECORDED = {
  requestsByClass: 'service_class:red_requests:rate5m',
  requests: 'service:red_requests:rate5m',
  errorRatioByClass: 'service_class:red_error_ratio:rate5m',
  errorRatio: 'service:red_error_ratio:rate5m',
  durationBuckets: 'service_le:red_request_duration_seconds_bucket:rate5m',
  latencyP50: 'service:red_request_duration_seconds:p50_rate5m',
  latencyP95: 'service:red_request_duration_seconds:p95_rate5m',
  latencyP99: 'service:red_request_duration_seconds:p99_rate5m',
} as const;

export const RECORDING_RULES: MetricSourceSpec = {
  source: 'recording-rule',
  metrics: [
    metric('gauge', RECORDED.requestsByClass, 'requests/s by service, source and class (2xx..5xx, ok, error)'),
    metric('gauge', RECORDED.requests, 'requests/s by service and source'),
    metric('gauge', RECORDED.errorRatioByClass, 'share of requests in a failing class (4xx, 5xx, error)'),
    metric('gauge', RECORDED.errorRatio, 'share of requests failing on the server side (5xx, span error)'),
    metric('gauge', RECORDED.durationBuckets, 'request duration bucket rates by service, source, le'),
    metric('gauge', RECORDED.latencyP50, 'p50 request duration in seconds'),
    metric('gauge', RECORDED.latencyP95, 'p95 request duration in seconds'),
    metric('gauge', RECORDED.latencyP99, 'p99 request duration in seconds'),
  ],
};

/** The metric names instrumented services are expected to expose, as a README-ready markdown section. */
export function serviceMetricsContractMarkdown(): string {
  const l = APP_METRICS.labels;
  return [
    '### Metrics a service needs for the Services (RED) dashboard',
    '',
    'Either source is enough; a service with both shows both (`source` label / legend).',
    '',
    '| Source | Series | Labels |',
    '| --- | --- | --- |',
    `| Own \`/metrics\` (pod annotated \`prometheus.io/scrape: "true"\`) | \`${APP_METRICS.requestsTotal}\` (counter), \`${APP_METRICS.requestDuration}\` (histogram, seconds) | \`${l.method}\`, \`${l.route}\`, \`${l.status}\` (numeric HTTP code); \`service\` comes from the pod label \`app.kubernetes.io/name\` (or \`app\`) |`,
    `| Own \`/metrics\`, a message consumer | \`${MESSAGING_METRICS.consumed}\` (counter), \`${MESSAGING_METRICS.processDuration}\` (histogram, seconds) | \`${MESSAGING_METRICS.labels.destination}\`; \`${MESSAGING_METRICS.labels.errorType}\` on failures |`,
    `| Traces only (OTLP to Tempo) | \`${SPAN_METRICS.calls}\`, \`${SPAN_METRICS.latency}_bucket\` from Tempo's metrics-generator (SERVER and CONSUMER spans) | \`service\` = \`service.name\`, \`status_code\` = \`STATUS_CODE_ERROR\` for failures |`,
    '',
    `Recording rules unify them into \`${RECORDED.requests}\`, \`${RECORDED.errorRatio}\` and \`${RECORDED.latencyP99}\` (label \`source\`: \`metrics\`, \`messages\` or \`traces\`); alerts prefer \`metrics\` when a service has both it and \`traces\`.`,
    '',
  ].join('\n');
}
