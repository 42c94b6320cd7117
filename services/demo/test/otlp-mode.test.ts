/**
 * The OTLP-for-everything mode (OTEL_METRICS_EXPORTER=otlp, OTEL_LOGS_EXPORTER=otlp) against an OTLP/HTTP
 * receiver in the test, over loopback: traces, metrics and logs all arrive at the one endpoint, with the
 * resource attributes the stack maps to labels and the request's trace context on every log record. The
 * default mode sends nothing but traces there.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { APP_METRICS, DURATION_BUCKETS, MESSAGING_METRICS, RedMetrics } from '../src/metrics';
import { OTLP_MESSAGING_ATTRIBUTES, OTLP_METRICS, OtlpMessagingMetrics, demoMeter } from '../src/otlp-metrics';
import { signalExporter } from '../src/otlp-signals';
import { flattenOtlpJson, httpGet, killAll, startService, until, type ReceivedSpan, type Service } from './support';


afterAll(killAll);

type Attr = { key: string; value: { stringValue?: string; intValue?: number | string; doubleValue?: number } };
const attrs = (list: Attr[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue)]));

interface Point { readonly metric: string; readonly unit: string; readonly resource: Record<string, string>; readonly attributes: Record<string, string>; readonly point: any; readonly kind: 'sum' | 'histogram' }
interface LogRecord { readonly resource: Record<string, string>; readonly attributes: Record<string, string>; readonly body: string; readonly severityText: string; readonly traceId: string; readonly spanId: string }

/** An OTLP/HTTP receiver for every signal: JSON bodies decoded, protobuf bodies counted per path. */
async function startAllSignalsReceiver() {
  const spans: ReceivedSpan[] = [];
  const points: Point[] = [];
  const logs: LogRecord[] = [];
  const protobuf: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !['/v1/traces', '/v1/metrics', '/v1/logs'].includes(path)) { res.writeHead(404).end(); return; }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        protobuf[path] = (protobuf[path] ?? 0) + 1;
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (path === '/v1/traces') spans.push(...flattenOtlpJson(body));
      for (const rm of body.resourceMetrics ?? []) {
        for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) {
          for (const kind of ['sum', 'histogram'] as const) {
            for (const p of m[kind]?.dataPoints ?? []) points.push({ metric: m.name, unit: m.unit ?? '', resource: attrs(rm.resource?.attributes), attributes: attrs(p.attributes), point: p, kind });
          }
        }
      }
      for (const rl of body.resourceLogs ?? []) {
        for (const sl of rl.scopeLogs ?? []) for (const r of sl.logRecords ?? []) {
          logs.push({ resource: attrs(rl.resource?.attributes), attributes: attrs(r.attributes), body: String(r.body?.stringValue ?? ''), severityText: r.severityText, traceId: String(r.traceId ?? ''), spanId: String(r.spanId ?? '') });
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, spans, points, logs, protobuf,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
type AllSignalsReceiver = Awaited<ReturnType<typeof startAllSignalsReceiver>>;

const K8S = 'k8s.namespace.name=shop,k8s.pod.name=demo-frontend-7d9f,k8s.container.name=frontend';

describe('OTLP for everything (OTLP/HTTP JSON)', () => {
  let receiver: AllSignalsReceiver;
  let backend: Service;
  let frontend: Service;
  const N = 4;

  beforeAll(async () => {
    receiver = await startAllSignalsReceiver();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp', OTEL_METRIC_EXPORT_INTERVAL: '200', OTEL_BLRP_SCHEDULE_DELAY: '100',
    };
    backend = await startService('backend', { ...otel, OTEL_SERVICE_NAME: 'demo-backend', ERROR_RATIO: '0', SLOW_STEP_MS: '5', JITTER_MS: '1' });
    frontend = await startService('frontend', { ...otel, OTEL_SERVICE_NAME: 'demo-frontend', OTEL_RESOURCE_ATTRIBUTES: K8S, BACKEND_URL: backend.url });
    for (let i = 0; i < N; i++) expect((await httpGet(`${frontend.url}/api/orders/${i}`)).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all([frontend?.stop(), backend?.stop()]);
    await receiver?.close();
  });

  test('the start-up line says so, and stdout carries nothing else (no second copy through the log agent)', async () => {
    expect(frontend.logs.map((l) => l.msg)).toEqual(['listening']);
    expect(frontend.logs[0]).toMatchObject({ exporter: 'otlp-http/json', metrics_exporter: 'otlp-http/json', logs_exporter: 'otlp-http/json' });
  });

  test('RED metrics arrive as OTLP metrics with the names and buckets Prometheus serves as /metrics', async () => {
    const requests = () => receiver.points.filter((p) => p.metric === OTLP_METRICS.requests && p.resource['service.name'] === 'demo-frontend' && p.attributes.route === '/api/orders/:id');
    await until(() => requests().some((p) => Number(p.point.asInt ?? p.point.asDouble) >= N), 8000, 'the frontend request counter');
    const counter = requests().pop()!;
    expect(counter.kind).toBe('sum');
    expect(counter.attributes).toEqual({ method: 'GET', route: '/api/orders/:id', status: '200' });
    // The attributes the gateway maps to service, namespace, pod and container.
    expect(counter.resource).toMatchObject({ 'service.name': 'demo-frontend', 'k8s.namespace.name': 'shop', 'k8s.pod.name': 'demo-frontend-7d9f', 'k8s.container.name': 'frontend' });
    const hist = receiver.points.filter((p) => p.metric === OTLP_METRICS.duration && p.resource['service.name'] === 'demo-frontend').pop()!;
    expect(hist.kind).toBe('histogram');
    expect(hist.unit).toBe('s');
    expect(hist.point.explicitBounds).toEqual(DURATION_BUCKETS);
  });

  test('every log record carries the request\'s trace context, which matches the spans', async () => {
    await until(() => receiver.logs.filter((l) => l.body === 'request completed' && l.resource['service.name'] === 'demo-frontend' && l.attributes.route === '/api/orders/:id').length >= N, 8000, 'log records');
    const completed = receiver.logs.filter((l) => l.body === 'request completed' && l.resource['service.name'] === 'demo-frontend' && l.attributes.route === '/api/orders/:id');
    expect(completed[0]).toMatchObject({ severityText: 'INFO', resource: expect.objectContaining({ 'k8s.pod.name': 'demo-frontend-7d9f' }) });
    expect(completed[0].attributes).not.toHaveProperty('trace_id');
    await until(() => completed.every((l) => receiver.spans.some((s) => s.traceId === l.traceId && s.spanId === l.spanId)), 8000, 'spans of the logged requests');
    expect(new Set(completed.map((l) => l.traceId)).size).toBe(N);
    expect(completed.every((l) => /^[0-9a-f]{32}$/.test(l.traceId) && /^[0-9a-f]{16}$/.test(l.spanId))).toBe(true);
    // The backend's logs join the same traces.
    await until(() => receiver.logs.some((l) => l.resource['service.name'] === 'demo-backend' && completed.some((c) => c.traceId === l.traceId)), 8000, 'backend log records');
  });

  test('/metrics keeps serving the same series', async () => {
    const text = (await httpGet(`${frontend.url}/metrics`)).body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/orders\/:id",status="200"\} 4/);
  });
});

describe('protobuf and the default mode', () => {
  let receiver: AllSignalsReceiver;
  afterEach(async () => { killAll(); await receiver?.close(); });

  test('http/protobuf (the cluster default) sends metrics and logs as protobuf to /v1/metrics and /v1/logs', async () => {
    receiver = await startAllSignalsReceiver();
    const svc = await startService('backend', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '200', OTEL_BLRP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'demo-backend', ERROR_RATIO: '0', SLOW_STEP_MS: '1',
    });
    await httpGet(`${svc.url}/api/inventory/1`);
    await until(() => (receiver.protobuf['/v1/metrics'] ?? 0) > 0 && (receiver.protobuf['/v1/logs'] ?? 0) > 0, 8000, 'protobuf metrics and logs');
    await svc.stop();
  });

  test('default: only traces reach the OTLP endpoint; logs go to stdout', async () => {
    receiver = await startAllSignalsReceiver();
    const svc = await startService('backend', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'demo-backend', ERROR_RATIO: '0', SLOW_STEP_MS: '1',
    });
    await httpGet(`${svc.url}/api/inventory/1`);
    await until(() => receiver.spans.length > 0 && svc.logs.some((l) => l.msg === 'request completed'), 8000, 'spans and stdout logs');
    await new Promise((r) => setTimeout(r, 300));
    expect(svc.logs[0]).toMatchObject({ msg: 'listening', metrics_exporter: 'none', logs_exporter: 'none' });
    expect(receiver.points).toEqual([]);
    expect(receiver.logs).toEqual([]);
    await svc.stop();
  });

  test('refuses exporters it does not have, naming the variable', () => {
    expect(signalExporter({}, 'METRICS')).toBe('none');
    expect(signalExporter({ OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' }, 'LOGS')).toBe('otlp-http/json');
    expect(() => signalExporter({ OTEL_METRICS_EXPORTER: 'prometheus' }, 'METRICS')).toThrow('OTEL_METRICS_EXPORTER="prometheus": only "otlp" and "none" are supported');
    expect(() => signalExporter({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'METRICS')).toThrow('use http/protobuf or http/json');
  });
});

/**
 * Prometheus's OTLP translation with its default strategy (UnderscoreEscapingWithSuffixes): dots become
 * underscores, a monotonic sum gains `_total`, a unit of seconds `_seconds`, a `{...}` unit nothing.
 */
function prometheusName(name: string, kind: DataPointType, unit: string): string {
  const base = name.replace(/\./g, '_');
  const withUnit = unit === 's' && !base.endsWith('_seconds') ? `${base}_seconds` : base;
  return kind === DataPointType.SUM ? `${withUnit}_total` : withUnit;
}

describe('messaging metrics over OTLP translate to the names /metrics serves', () => {
  test('counters, the processing histogram and the lag gauge, with the messaging labels', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const m = new OtlpMessagingMetrics(new RedMetrics(false).registries, demoMeter(provider));
    m.messageSent({ topic: 'orders' });
    m.messageProcessed({ topic: 'orders', seconds: 0.2, errorType: 'injected_failure' });
    m.consumerLag({ topic: 'orders', partition: 0, group: 'demo-worker', lag: 3 });
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const names = metrics.map((x) => prometheusName(x.descriptor.name, x.dataPointType, x.descriptor.unit)).sort();
    expect(names).toEqual([MESSAGING_METRICS.consumed, MESSAGING_METRICS.consumerLag, MESSAGING_METRICS.processDuration, MESSAGING_METRICS.sent].sort());
    const labels = (attrs: Record<string, unknown>) => Object.keys(attrs).map((k) => k.replace(/\./g, '_')).sort();
    const processed = metrics.find((x) => x.descriptor.name === OTLP_METRICS.consumed)!.dataPoints[0];
    expect(labels(processed.attributes)).toEqual([MESSAGING_METRICS.labels.destination, MESSAGING_METRICS.labels.errorType, MESSAGING_METRICS.labels.operation, MESSAGING_METRICS.labels.system].sort());
    expect(processed.attributes[OTLP_MESSAGING_ATTRIBUTES.errorType]).toBe('injected_failure');
    const lag = metrics.find((x) => x.descriptor.name === OTLP_METRICS.consumerLag)!.dataPoints[0];
    expect(labels(lag.attributes)).toEqual([MESSAGING_METRICS.labels.destination, MESSAGING_METRICS.labels.group, MESSAGING_METRICS.labels.partition].sort());
    expect(lag.value).toBe(3);
    await provider.shutdown();
  });

  test('the RED instruments translate to APP_METRICS', () => {
    expect(prometheusName(OTLP_METRICS.requests, DataPointType.SUM, '')).toBe(APP_METRICS.requestsTotal);
    expect(prometheusName(OTLP_METRICS.duration, DataPointType.HISTOGRAM, 's')).toBe(APP_METRICS.requestDuration);
  });
});
