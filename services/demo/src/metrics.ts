/**
 * RED metrics on `/metrics`: `http_requests_total` and `http_request_duration_seconds` by method, route
 * (the route template, so the series count stays bounded) and status, plus the Node process metrics.
 *
 * Exemplars (`trace_id`, `span_id` of the request's server span) only exist in the OpenMetrics format,
 * and prom-client refuses exemplars on a registry that renders the classic text format. So the same
 * observations go to two registries: OpenMetrics (with exemplars) for clients that ask for it in
 * `Accept` - Prometheus does by default - and the classic text format for everyone else.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type OpenMetricsContentType } from 'prom-client';

/** Names and labels; they match obs-stack's APP_METRICS (src/lib/signals.ts). */
export const APP_METRICS = {
  requestsTotal: 'http_requests_total',
  requestDuration: 'http_request_duration_seconds',
  labels: { method: 'method', route: 'route', status: 'status' },
} as const;

/** Seconds; the backend's slow step is 100 ms by default, so resolution sits around 0.05-1 s. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10];

type LabelName = 'method' | 'route' | 'status';
const LABEL_NAMES: LabelName[] = [APP_METRICS.labels.method, APP_METRICS.labels.route, APP_METRICS.labels.status];

export interface RequestObservation {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  /** Trace context of the request, when it was traced. */
  readonly traceId?: string;
  readonly spanId?: string;
}

/** The two registries every metric of a process is registered in (see the module comment). */
export interface Registries {
  readonly openMetrics: Registry<OpenMetricsContentType>;
  readonly text: Registry;
}

/** Exemplar labels for a traced observation; prom-client types them as the metric's own label names. */
function exemplarLabels<L extends string>(traceId: string | undefined, spanId: string | undefined): Partial<Record<L, string>> | undefined {
  if (traceId === undefined) return undefined;
  return { trace_id: traceId, ...(spanId !== undefined ? { span_id: spanId } : {}) } as unknown as Partial<Record<L, string>>;
}

export class RedMetrics {
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly text = new Registry();
  /** Where other metric sets of the process (messaging) register, so one `/metrics` renders them all. */
  readonly registries: Registries = { openMetrics: this.openMetrics, text: this.text };
  private readonly counters: { om: Counter<LabelName>; text: Counter<LabelName> };
  private readonly histograms: { om: Histogram<LabelName>; text: Histogram<LabelName> };

  constructor(defaultMetrics = true) {
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const counter = { name: APP_METRICS.requestsTotal, help: 'HTTP requests served, by method, route template and status code.', labelNames: LABEL_NAMES };
    const histogram = { name: APP_METRICS.requestDuration, help: 'Duration of HTTP requests served, in seconds.', labelNames: LABEL_NAMES, buckets: DURATION_BUCKETS };
    this.counters = {
      om: new Counter({ ...counter, registers: [this.openMetrics], enableExemplars: true }),
      text: new Counter({ ...counter, registers: [this.text] }),
    };
    this.histograms = {
      om: new Histogram({ ...histogram, registers: [this.openMetrics], enableExemplars: true }),
      text: new Histogram({ ...histogram, registers: [this.text] }),
    };
    if (defaultMetrics) {
      collectDefaultMetrics({ register: this.openMetrics });
      collectDefaultMetrics({ register: this.text });
    }
  }

  observe(o: RequestObservation): void {
    const labels = { method: o.method, route: o.route, status: String(o.status) };
    const exemplar = exemplarLabels<LabelName>(o.traceId, o.spanId);
    this.counters.text.inc(labels);
    this.histograms.text.observe(labels, o.seconds);
    this.counters.om.inc({ labels, value: 1, exemplarLabels: exemplar });
    this.histograms.om.observe({ labels, value: o.seconds, exemplarLabels: exemplar });
  }

  /** Renders the format the client accepts: OpenMetrics when `Accept` names it, the text format otherwise. */
  async render(accept: string | undefined): Promise<{ contentType: string; body: string }> {
    const registry = wantsOpenMetrics(accept) ? this.openMetrics : this.text;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}

/** True when `Accept` lists application/openmetrics-text with a non-zero quality. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().split(';').map((s) => s.trim());
    if (type.toLowerCase() !== 'application/openmetrics-text') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Messaging metrics, named after the OpenTelemetry messaging semantic conventions as a Prometheus exporter
 * spells them (`messaging.client.sent.messages` -> `messaging_client_sent_messages_total`), with the
 * convention's attributes as labels. `error_type` is set only on failures. The names match obs-stack's
 * MESSAGING_METRICS (src/lib/signals.ts), which its dashboards and rules query.
 */
export const MESSAGING_METRICS = {
  sent: 'messaging_client_sent_messages_total',
  consumed: 'messaging_client_consumed_messages_total',
  processDuration: 'messaging_process_duration_seconds',
  /** Messages in a partition behind what this consumer has processed (high watermark - 1 - last offset). */
  consumerLag: 'messaging_kafka_consumer_lag',
  labels: {
    system: 'messaging_system',
    destination: 'messaging_destination_name',
    operation: 'messaging_operation_name',
    partition: 'messaging_destination_partition_id',
    group: 'messaging_consumer_group_name',
    errorType: 'error_type',
  },
} as const;

type MessageLabel = 'messaging_system' | 'messaging_destination_name' | 'messaging_operation_name' | 'error_type';
type LagLabel = 'messaging_destination_name' | 'messaging_destination_partition_id' | 'messaging_consumer_group_name';
const MESSAGE_LABELS: MessageLabel[] = ['messaging_system', 'messaging_destination_name', 'messaging_operation_name', 'error_type'];
const LAG_LABELS: LagLabel[] = ['messaging_destination_name', 'messaging_destination_partition_id', 'messaging_consumer_group_name'];

/** Seconds; the worker's slow step is 100 ms by default, like the backend's. */
export const PROCESS_BUCKETS = DURATION_BUCKETS;

export interface MessageObservation {
  readonly topic: string;
  /** The error's type when the message failed (e.g. `KafkaJSError`, `injected_failure`). */
  readonly errorType?: string;
  readonly traceId?: string;
  readonly spanId?: string;
}

export class MessagingMetrics {
  private readonly sent: { om: Counter<MessageLabel>; text: Counter<MessageLabel> };
  private readonly consumed: { om: Counter<MessageLabel>; text: Counter<MessageLabel> };
  private readonly duration: { om: Histogram<MessageLabel>; text: Histogram<MessageLabel> };
  private readonly lag: Gauge<LagLabel>;

  constructor(registries: Registries) {
    type Registers = Array<Registry<OpenMetricsContentType> | Registry>;
    const pair = <T>(make: (registers: Registers, exemplars: boolean) => T) => ({
      om: make([registries.openMetrics], true),
      text: make([registries.text], false),
    });
    this.sent = pair((registers, enableExemplars) => new Counter({
      name: MESSAGING_METRICS.sent, help: 'Messages the producer attempted to send, by topic; error_type on failures.', labelNames: MESSAGE_LABELS, registers, enableExemplars,
    }));
    this.consumed = pair((registers, enableExemplars) => new Counter({
      name: MESSAGING_METRICS.consumed, help: 'Messages delivered to the worker and processed, by topic; error_type on failures.', labelNames: MESSAGE_LABELS, registers, enableExemplars,
    }));
    this.duration = pair((registers, enableExemplars) => new Histogram({
      name: MESSAGING_METRICS.processDuration, help: 'Time the worker spent processing one message, in seconds.', labelNames: MESSAGE_LABELS, buckets: PROCESS_BUCKETS, registers, enableExemplars,
    }));
    // A gauge has no exemplars; both formats show the same value.
    this.lag = new Gauge({
      name: MESSAGING_METRICS.consumerLag,
      help: 'Messages in a partition not yet processed by this consumer, as of its last fetched batch.',
      labelNames: LAG_LABELS,
      registers: [registries.openMetrics, registries.text],
    });
  }

  private labels(o: MessageObservation, operation: 'send' | 'process'): Partial<Record<MessageLabel, string>> {
    return {
      messaging_system: 'kafka',
      messaging_destination_name: o.topic,
      messaging_operation_name: operation,
      ...(o.errorType !== undefined ? { error_type: o.errorType } : {}),
    };
  }

  messageSent(o: MessageObservation): void {
    const labels = this.labels(o, 'send');
    this.sent.text.inc(labels);
    this.sent.om.inc({ labels, value: 1, exemplarLabels: exemplarLabels<MessageLabel>(o.traceId, o.spanId) });
  }

  messageProcessed(o: MessageObservation & { readonly seconds: number }): void {
    const labels = this.labels(o, 'process');
    const exemplar = exemplarLabels<MessageLabel>(o.traceId, o.spanId);
    this.consumed.text.inc(labels);
    this.consumed.om.inc({ labels, value: 1, exemplarLabels: exemplar });
    this.duration.text.observe(labels, o.seconds);
    this.duration.om.observe({ labels, value: o.seconds, exemplarLabels: exemplar });
  }

  consumerLag(o: { readonly topic: string; readonly partition: number; readonly group: string; readonly lag: number }): void {
    this.lag.set({ messaging_destination_name: o.topic, messaging_destination_partition_id: String(o.partition), messaging_consumer_group_name: o.group }, o.lag);
  }
}
