/**
 * The example services' metrics as OTLP instruments (OTLP-for-everything mode, see otlp-signals.ts). Each
 * is named so that Prometheus's OTLP receiver (default translation: dots to underscores, `_total` on
 * counters, the unit as a suffix) serves it under the name `/metrics` uses, so dashboards, recording
 * rules and alerts read both paths alike:
 * - `http_requests` (counter) -> `http_requests_total`; `http_request_duration` (s) -> `http_request_duration_seconds`;
 * - `messaging.client.sent.messages` -> `messaging_client_sent_messages_total`, `messaging.client.consumed.messages`
 *   -> `..._consumed_messages_total`, `messaging.process.duration` (s) -> `messaging_process_duration_seconds`,
 *   `messaging.kafka.consumer.lag` -> `messaging_kafka_consumer_lag`; attributes `messaging.system` ->
 *   `messaging_system` and so on (the labels of MESSAGING_METRICS).
 * `/metrics` keeps serving the same series (the subclasses record to both).
 */
import type { Attributes, Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  APP_METRICS, DURATION_BUCKETS, MESSAGING_METRICS, MessagingMetrics, PROCESS_BUCKETS, RedMetrics, type MessageObservation, type Registries, type RequestObservation,
} from './metrics';

/** OTLP metric names whose Prometheus translation gives the `/metrics` names. */
export const OTLP_METRICS = {
  requests: 'http_requests',
  duration: 'http_request_duration',
  sent: 'messaging.client.sent.messages',
  consumed: 'messaging.client.consumed.messages',
  processDuration: 'messaging.process.duration',
  consumerLag: 'messaging.kafka.consumer.lag',
} as const;

/** The OpenTelemetry attribute whose translation is each messaging label (`messaging.system` -> `messaging_system`). */
export const OTLP_MESSAGING_ATTRIBUTES = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operation: 'messaging.operation.name',
  partition: 'messaging.destination.partition.id',
  group: 'messaging.consumer.group.name',
  errorType: 'error.type',
} as const satisfies Record<keyof typeof MESSAGING_METRICS.labels, string>;

const METER = 'obs-stack-demo';

/** RedMetrics that also record every observation on OTLP instruments. */
export class OtlpRedMetrics extends RedMetrics {
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(meter: Meter) {
    super();
    this.requests = meter.createCounter(OTLP_METRICS.requests, { description: 'HTTP requests served, by method, route template and status code.' });
    this.duration = meter.createHistogram(OTLP_METRICS.duration, {
      unit: 's', description: 'Duration of HTTP requests served.', advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  }

  override observe(o: RequestObservation): void {
    super.observe(o);
    const l = APP_METRICS.labels;
    const attributes = { [l.method]: o.method, [l.route]: o.route, [l.status]: String(o.status) };
    this.requests.add(1, attributes);
    this.duration.record(o.seconds, attributes);
  }
}

/** MessagingMetrics that also record on OTLP instruments. */
export class OtlpMessagingMetrics extends MessagingMetrics {
  private readonly otlp: { sent: Counter; consumed: Counter; duration: Histogram; lag: Gauge };

  constructor(registries: Registries, meter: Meter) {
    super(registries);
    this.otlp = {
      sent: meter.createCounter(OTLP_METRICS.sent, { unit: '{message}', description: 'Messages the producer attempted to send.' }),
      consumed: meter.createCounter(OTLP_METRICS.consumed, { unit: '{message}', description: 'Messages delivered to the worker and processed.' }),
      duration: meter.createHistogram(OTLP_METRICS.processDuration, { unit: 's', description: 'Time the worker spent processing one message.', advice: { explicitBucketBoundaries: PROCESS_BUCKETS } }),
      lag: meter.createGauge(OTLP_METRICS.consumerLag, { unit: '{message}', description: 'Messages in a partition not yet processed by this consumer.' }),
    };
  }

  private attributes(o: MessageObservation, operation: 'send' | 'process'): Attributes {
    const a = OTLP_MESSAGING_ATTRIBUTES;
    return {
      [a.system]: 'kafka', [a.destination]: o.topic, [a.operation]: operation,
      ...(o.errorType !== undefined ? { [a.errorType]: o.errorType } : {}),
    };
  }

  override messageSent(o: MessageObservation): void {
    super.messageSent(o);
    this.otlp.sent.add(1, this.attributes(o, 'send'));
  }

  override messageProcessed(o: MessageObservation & { readonly seconds: number }): void {
    super.messageProcessed(o);
    const attributes = this.attributes(o, 'process');
    this.otlp.consumed.add(1, attributes);
    this.otlp.duration.record(o.seconds, attributes);
  }

  override consumerLag(o: { readonly topic: string; readonly partition: number; readonly group: string; readonly lag: number }): void {
    super.consumerLag(o);
    const a = OTLP_MESSAGING_ATTRIBUTES;
    this.otlp.lag.record(o.lag, { [a.destination]: o.topic, [a.partition]: String(o.partition), [a.group]: o.group });
  }
}

/** The meter the OTLP instruments record on. */
export function demoMeter(provider: MeterProvider): Meter {
  return provider.getMeter(METER);
}
