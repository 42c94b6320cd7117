/**
 * The metrics catalog: every metric name the stack produces that a dashboard or rule may use, by source.
 * It is the single list the tests check dashboards and rules against ("is this a metric the stack actually
 * produces?"). Adding a query on a new metric means adding the metric here first, with where it comes from.
 *
 * Histograms are listed once by their base name; `_bucket`, `_sum` and `_count` are implied.
 */
import { APP_METRICS, MESSAGING_METRICS } from './signals';

export type MetricSource =
  | 'prometheus' | 'cadvisor' | 'loki' | 'tempo' | 'grafana' | 'promtail' | 'alloy'
  | 'scrape' | 'span-metrics' | 'service-graph' | 'app' | 'recording-rule';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricEntry {
  readonly name: string;
  /** What exports it: the component whose /metrics serves it, Prometheus's scrape, Tempo's generator, a rule, or the services. */
  readonly source: MetricSource;
  readonly type: MetricType;
  readonly help: string;
  /**
   * A label matcher outside which the series do not exist (the exporter never produces them there): every
   * query of the metric must carry it, or its panel or alert stays empty.
   */
  readonly onlyWith?: string;
}

const m = (source: MetricSource, type: MetricType, name: string, help: string, onlyWith?: string): MetricEntry =>
  ({ name, source, type, help, ...(onlyWith !== undefined ? { onlyWith } : {}) });

/**
 * cAdvisor 0.60.5 reports filesystem usage for the node's root cgroup (`id="/"`: the node's filesystems)
 * and never for a containerd container (its containerd handler sets no filesystem), whatever its privileges.
 */
export const CADVISOR_ROOT_CGROUP = 'id="/"';

/**
 * Recorded series (see src/components/alerts/rules.ts). Every one carries `service`, `source`
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

/** Tempo metrics-generator series (span metrics and service graph), remote-written into Prometheus. */
export const SPAN_METRICS = {
  calls: 'traces_spanmetrics_calls_total',
  latency: 'traces_spanmetrics_latency',
  size: 'traces_spanmetrics_size_total',
  graphRequests: 'traces_service_graph_request_total',
  graphFailed: 'traces_service_graph_request_failed_total',
  graphServerSeconds: 'traces_service_graph_request_server_seconds',
  graphClientSeconds: 'traces_service_graph_request_client_seconds',
} as const;

/**
 * Span metrics of the spans that stand for work a service handled: a request it served (SERVER) or a message
 * it processed (CONSUMER). Client, producer and internal spans would count a request once per outgoing call.
 */
export const HANDLED_SPANS = 'span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"';

/**
 * Prometheus's notifier (alert delivery to Alertmanagers), by Alertmanager URL (label `alertmanager`).
 * Prometheus 3 adds to `sent` only what an Alertmanager accepted, to `errors` what failed.
 */
export const NOTIFIER_METRICS = {
  errors: 'prometheus_notifications_errors_total',
  sent: 'prometheus_notifications_sent_total',
  alertmanagersDiscovered: 'prometheus_notifications_alertmanagers_discovered',
} as const;

export const METRICS_CATALOG: readonly MetricEntry[] = [
  // Added by Prometheus to every scrape target.
  m('scrape', 'gauge', 'up', '1 if the last scrape of the target succeeded'),
  m('scrape', 'gauge', 'scrape_samples_scraped', 'samples the target exposed in the last scrape'),
  m('scrape', 'gauge', 'scrape_duration_seconds', 'duration of the last scrape'),

  // Prometheus itself (job prometheus).
  m('prometheus', 'gauge', 'prometheus_tsdb_head_series', 'series in the head block'),
  m('prometheus', 'counter', 'prometheus_tsdb_head_samples_appended_total', 'samples appended to the head'),
  m('prometheus', 'gauge', 'prometheus_tsdb_wal_storage_size_bytes', 'size of the write-ahead log'),
  m('prometheus', 'counter', 'prometheus_tsdb_wal_corruptions_total', 'WAL corruptions found'),
  m('prometheus', 'histogram', 'prometheus_tsdb_wal_fsync_duration_seconds', 'WAL fsync duration (a summary upstream; _sum/_count used)'),
  m('prometheus', 'gauge', 'prometheus_tsdb_storage_blocks_bytes', 'bytes of persisted blocks'),
  m('prometheus', 'gauge', 'prometheus_tsdb_head_chunks_storage_size_bytes', 'bytes of memory-mapped head chunks on disk'),
  m('prometheus', 'gauge', 'prometheus_tsdb_retention_limit_bytes', 'storage.tsdb.retention.size in bytes (0 when unset)'),
  m('prometheus', 'counter', 'prometheus_tsdb_size_retentions_total', 'blocks deleted because of the size retention'),
  m('prometheus', 'counter', 'prometheus_rule_evaluation_failures_total', 'failed rule evaluations, by rule_group'),
  m('prometheus', 'counter', 'prometheus_target_scrapes_exceeded_sample_limit_total', 'scrapes rejected by sample_limit'),
  m('prometheus', 'counter', NOTIFIER_METRICS.errors, 'alerts an Alertmanager did not accept, by alertmanager'),
  m('prometheus', 'counter', NOTIFIER_METRICS.sent, 'alerts delivered, by alertmanager'),
  m('prometheus', 'gauge', NOTIFIER_METRICS.alertmanagersDiscovered, 'Alertmanagers discovered and active'),
  m('prometheus', 'counter', 'prometheus_http_requests_total', 'HTTP API requests, by handler and code (remote-write receiver included)'),

  // cAdvisor (job cadvisor); namespace/pod/container from CRI labels, node from the scrape target.
  m('cadvisor', 'counter', 'container_cpu_usage_seconds_total', 'CPU time consumed'),
  m('cadvisor', 'counter', 'container_cpu_cfs_periods_total', 'CFS enforcement periods'),
  m('cadvisor', 'counter', 'container_cpu_cfs_throttled_periods_total', 'CFS periods the container was throttled in'),
  m('cadvisor', 'gauge', 'container_spec_cpu_quota', 'CPU quota (limit) in microseconds per period'),
  m('cadvisor', 'gauge', 'container_spec_cpu_period', 'CFS period in microseconds'),
  m('cadvisor', 'gauge', 'container_memory_working_set_bytes', 'working set: what the OOM killer looks at'),
  m('cadvisor', 'gauge', 'container_spec_memory_limit_bytes', 'memory limit (0 when unlimited)'),
  m('cadvisor', 'counter', 'container_network_receive_bytes_total', 'bytes received'),
  m('cadvisor', 'counter', 'container_network_transmit_bytes_total', 'bytes sent'),
  m('cadvisor', 'counter', 'container_fs_reads_bytes_total', 'bytes read from disk'),
  m('cadvisor', 'counter', 'container_fs_writes_bytes_total', 'bytes written to disk'),
  m('cadvisor', 'gauge', 'container_fs_usage_bytes', 'bytes used on each filesystem of the node (root cgroup only)', CADVISOR_ROOT_CGROUP),
  m('cadvisor', 'gauge', 'container_fs_limit_bytes', 'size of each filesystem of the node (root cgroup only)', CADVISOR_ROOT_CGROUP),
  m('cadvisor', 'gauge', 'container_start_time_seconds', 'container start time (changes on restart)'),
  m('cadvisor', 'counter', 'container_oom_events_total', 'OOM kills (needs cadvisor.privileged for /dev/kmsg)'),

  // Loki (job loki).
  m('loki', 'counter', 'loki_distributor_lines_received_total', 'log lines received, by tenant'),
  m('loki', 'counter', 'loki_distributor_bytes_received_total', 'log bytes received, by tenant'),
  m('loki', 'counter', 'loki_discarded_samples_total', 'log lines rejected, by reason and tenant'),
  m('loki', 'counter', 'loki_discarded_bytes_total', 'log bytes rejected, by reason and tenant'),
  m('loki', 'gauge', 'loki_ingester_memory_streams', 'streams held in ingester memory'),

  // Tempo (job tempo).
  m('tempo', 'counter', 'tempo_distributor_spans_received_total', 'spans received, by tenant'),
  m('tempo', 'counter', 'tempo_distributor_bytes_received_total', 'span bytes received, by tenant'),
  m('tempo', 'counter', 'tempo_discarded_spans_total', 'spans rejected, by reason and tenant'),
  m('tempo', 'gauge', 'tempodb_blocklist_length', 'blocks in the backend, by tenant'),

  // Grafana (job grafana).
  m('grafana', 'gauge', 'grafana_build_info', 'Grafana version'),

  // Log agents (job promtail or alloy).
  m('promtail', 'counter', 'promtail_read_lines_total', 'lines read from log files'),
  m('promtail', 'counter', 'promtail_sent_entries_total', 'entries shipped to Loki'),
  m('promtail', 'counter', 'promtail_dropped_entries_total', 'entries dropped after retries'),
  m('alloy', 'counter', 'loki_write_sent_entries_total', 'entries loki.write shipped to Loki'),
  m('alloy', 'counter', 'loki_write_dropped_entries_total', 'entries loki.write dropped after retries'),

  // Tempo metrics-generator, remote-written (external label cluster, no job).
  m('span-metrics', 'counter', SPAN_METRICS.calls, 'spans, by service, span_name, span_kind, status_code'),
  m('span-metrics', 'histogram', SPAN_METRICS.latency, 'span duration in seconds, same labels'),
  m('span-metrics', 'counter', SPAN_METRICS.size, 'span bytes, same labels'),
  m('service-graph', 'counter', SPAN_METRICS.graphRequests, 'client/server request pairs, by client and server'),
  m('service-graph', 'counter', SPAN_METRICS.graphFailed, 'failed client/server request pairs'),
  m('service-graph', 'histogram', SPAN_METRICS.graphServerSeconds, 'server-side duration of an edge'),
  m('service-graph', 'histogram', SPAN_METRICS.graphClientSeconds, 'client-side duration of an edge'),

  // The HTTP contract instrumented services follow (the example services emit exactly these).
  m('app', 'counter', APP_METRICS.requestsTotal, 'finished HTTP requests, by method, route, status'),
  m('app', 'histogram', APP_METRICS.requestDuration, 'HTTP request duration in seconds, by method, route, status'),
  // Messaging (the example frontend and worker emit exactly these).
  m('app', 'counter', MESSAGING_METRICS.sent, 'messages sent, by messaging_destination_name; error_type on failures'),
  m('app', 'counter', MESSAGING_METRICS.consumed, 'messages processed, by messaging_destination_name; error_type on failures'),
  m('app', 'histogram', MESSAGING_METRICS.processDuration, 'time to process one message in seconds, same labels'),
  m('app', 'gauge', MESSAGING_METRICS.consumerLag, 'messages not yet processed, by messaging_destination_name, messaging_destination_partition_id, messaging_consumer_group_name'),

  // Recording rules.
  m('recording-rule', 'gauge', RECORDED.requestsByClass, 'requests/s by service, source and class (2xx..5xx, ok, error)'),
  m('recording-rule', 'gauge', RECORDED.requests, 'requests/s by service and source'),
  m('recording-rule', 'gauge', RECORDED.errorRatioByClass, 'share of requests in a failing class (4xx, 5xx, error)'),
  m('recording-rule', 'gauge', RECORDED.errorRatio, 'share of requests failing on the server side (5xx, span error)'),
  m('recording-rule', 'gauge', RECORDED.durationBuckets, 'request duration bucket rates by service, source, le'),
  m('recording-rule', 'gauge', RECORDED.latencyP50, 'p50 request duration in seconds'),
  m('recording-rule', 'gauge', RECORDED.latencyP95, 'p95 request duration in seconds'),
  m('recording-rule', 'gauge', RECORDED.latencyP99, 'p99 request duration in seconds'),
];

/** Every concrete series name the catalog allows (histograms expanded to `_bucket`, `_sum`, `_count`). */
export function catalogNames(): Set<string> {
  const names = new Set<string>();
  for (const e of METRICS_CATALOG) {
    if (e.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(e.name + s);
    else names.add(e.name);
  }
  return names;
}

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
