/**
 * RED metrics on `/metrics`: `http_requests_total` and `http_request_duration_seconds` by method, route
 * (the route template, so the series count stays bounded) and status, plus the Node process metrics.
 *
 * Exemplars (`trace_id`, `span_id` of the request's server span) only exist in the OpenMetrics format,
 * and prom-client refuses exemplars on a registry that renders the classic text format. So the same
 * observations go to two registries: OpenMetrics (with exemplars) for clients that ask for it in
 * `Accept` - Prometheus does by default - and the classic text format for everyone else.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics, type OpenMetricsContentType } from 'prom-client';

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

export class RedMetrics {
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly text = new Registry();
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
    // prom-client types exemplar labels as the metric's own label names; ours are trace_id and span_id.
    const exemplarLabels = (o.traceId !== undefined
      ? { trace_id: o.traceId, ...(o.spanId !== undefined ? { span_id: o.spanId } : {}) }
      : undefined) as Partial<Record<LabelName, string>> | undefined;
    this.counters.text.inc(labels);
    this.histograms.text.observe(labels, o.seconds);
    this.counters.om.inc({ labels, value: 1, exemplarLabels });
    this.histograms.om.observe({ labels, value: o.seconds, exemplarLabels });
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
