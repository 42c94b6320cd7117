/**
 * The RED metrics as OTLP instruments (OTLP-for-everything mode, see otlp-signals.ts): `http_requests`, a
 * counter, and `http_request_duration` in seconds with the `/metrics` buckets. Prometheus's OTLP receiver
 * adds the suffixes and serves them as `http_requests_total` and `http_request_duration_seconds`, the
 * names `/metrics` uses, so dashboards, recording rules and alerts read both paths alike.
 */
import type { Counter, Histogram } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { APP_METRICS, DURATION_BUCKETS, RedMetrics, type RequestObservation } from './metrics';

/** OTLP metric names whose Prometheus translation gives the `/metrics` names (suffixes `_total`, `_seconds`). */
export const OTLP_METRICS = { requests: 'http_requests', duration: 'http_request_duration' } as const;

/** RedMetrics that also record every observation on OTLP instruments (`/metrics` keeps serving them). */
export class OtlpRedMetrics extends RedMetrics {
  private readonly provider: MeterProvider;
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(provider: MeterProvider) {
    super();
    this.provider = provider;
    const meter = provider.getMeter('obs-stack-demo');
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

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

