/**
 * Names the signals agree on across components: the HTTP and messaging metrics instrumented services expose
 * (the example services emit exactly these) and the log fields that carry trace context.
 */

/**
 * The RED metrics a service exposes on its own `/metrics` (prom-client naming). Services that only send
 * traces get equivalent series from the trace store's span metrics instead.
 */
export const APP_METRICS = {
  /** Counter of finished requests. */
  requestsTotal: 'http_requests_total',
  /** Histogram (seconds) of request duration; `_bucket`, `_sum`, `_count` series. */
  requestDuration: 'http_request_duration_seconds',
  /** Label names on both metrics. */
  labels: { method: 'method', route: 'route', status: 'status' },
} as const;

/**
 * Messaging metrics of services that produce to or consume from a broker (the example frontend and worker
 * emit exactly these): OpenTelemetry's messaging metric names as a Prometheus exporter writes them, labelled
 * with the conventions' attributes; `error_type` only on failures.
 */
export const MESSAGING_METRICS = {
  /** Counter of messages sent (or refused). */
  sent: 'messaging_client_sent_messages_total',
  /** Counter of messages processed by a consumer. */
  consumed: 'messaging_client_consumed_messages_total',
  /** Histogram (seconds) of processing one message; `_bucket`, `_sum`, `_count` series. */
  processDuration: 'messaging_process_duration_seconds',
  /** Gauge: messages of a partition the consumer has not processed yet. */
  consumerLag: 'messaging_kafka_consumer_lag',
  labels: {
    destination: 'messaging_destination_name',
    partition: 'messaging_destination_partition_id',
    group: 'messaging_consumer_group_name',
    errorType: 'error_type',
  },
} as const;

/** JSON log fields that carry trace context and severity (the log agents extract these). */
export const LOG_FIELDS = { traceId: 'trace_id', spanId: 'span_id', level: 'level', message: 'msg' } as const;
