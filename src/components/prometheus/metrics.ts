/**
 * What Prometheus adds to the catalog: the series of every scrape, its own metrics (job prometheus) and the
 * metrics of the services it scrapes by annotation.
 */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';
import { APP_METRICS, MESSAGING_METRICS } from '../../lib/signals';

/**
 * Prometheus's notifier (alert delivery to Alertmanagers), by Alertmanager URL (label `alertmanager`).
 * Prometheus 3 adds to `sent` only what an Alertmanager accepted, to `errors` what failed.
 */
export const NOTIFIER_METRICS = {
  errors: 'prometheus_notifications_errors_total',
  sent: 'prometheus_notifications_sent_total',
  alertmanagersDiscovered: 'prometheus_notifications_alertmanagers_discovered',
} as const;

/** Added by Prometheus to every scrape target. */
export const SCRAPE_METRICS: MetricSourceSpec = {
  source: 'scrape',
  metrics: [
    metric('gauge', 'up', '1 if the last scrape of the target succeeded'),
    metric('gauge', 'scrape_samples_scraped', 'samples the target exposed in the last scrape'),
    metric('gauge', 'scrape_duration_seconds', 'duration of the last scrape'),
  ],
};

export const PROMETHEUS_METRICS: MetricSourceSpec = {
  source: 'prometheus',
  metrics: [
    metric('gauge', 'prometheus_tsdb_head_series', 'series in the head block'),
    metric('counter', 'prometheus_tsdb_head_samples_appended_total', 'samples appended to the head'),
    metric('gauge', 'prometheus_tsdb_wal_storage_size_bytes', 'size of the write-ahead log'),
    metric('counter', 'prometheus_tsdb_wal_corruptions_total', 'WAL corruptions found'),
    metric('histogram', 'prometheus_tsdb_wal_fsync_duration_seconds', 'WAL fsync duration (a summary upstream; _sum/_count used)'),
    metric('gauge', 'prometheus_tsdb_storage_blocks_bytes', 'bytes of persisted blocks'),
    metric('gauge', 'prometheus_tsdb_head_chunks_storage_size_bytes', 'bytes of memory-mapped head chunks on disk'),
    metric('gauge', 'prometheus_tsdb_retention_limit_bytes', 'storage.tsdb.retention.size in bytes (0 when unset)'),
    metric('counter', 'prometheus_tsdb_size_retentions_total', 'blocks deleted because of the size retention'),
    metric('counter', 'prometheus_rule_evaluation_failures_total', 'failed rule evaluations, by rule_group'),
    metric('counter', 'prometheus_target_scrapes_exceeded_sample_limit_total', 'scrapes rejected by sample_limit'),
    metric('counter', NOTIFIER_METRICS.errors, 'alerts an Alertmanager did not accept, by alertmanager'),
    metric('counter', NOTIFIER_METRICS.sent, 'alerts delivered, by alertmanager'),
    metric('gauge', NOTIFIER_METRICS.alertmanagersDiscovered, 'Alertmanagers discovered and active'),
    metric('counter', 'prometheus_http_requests_total', 'HTTP API requests, by handler and code (remote-write receiver included)'),
  ],
};

/** The contract instrumented services follow, scraped from annotated pods. */
export const APP_METRICS_SOURCE: MetricSourceSpec = {
  source: 'app',
  enabled: (cfg) => cfg.prometheus.scrapeAnnotatedPods,
  metrics: [
    // The HTTP contract instrumented services follow (the example services emit exactly these).
    metric('counter', APP_METRICS.requestsTotal, 'finished HTTP requests, by method, route, status'),
    metric('histogram', APP_METRICS.requestDuration, 'HTTP request duration in seconds, by method, route, status'),
    // Messaging (the example frontend and worker emit exactly these).
    metric('counter', MESSAGING_METRICS.sent, 'messages sent, by messaging_destination_name; error_type on failures'),
    metric('counter', MESSAGING_METRICS.consumed, 'messages processed, by messaging_destination_name; error_type on failures'),
    metric('histogram', MESSAGING_METRICS.processDuration, 'time to process one message in seconds, same labels'),
    metric('gauge', MESSAGING_METRICS.consumerLag, 'messages not yet processed, by messaging_destination_name, messaging_destination_partition_id, messaging_consumer_group_name'),
  ],
};
