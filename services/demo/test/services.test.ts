/**
 * The services as a system: frontend and backend run as separate processes (each with its own tracer,
 * like in the cluster), export to an OTLP/HTTP receiver in the test, and are driven over loopback.
 */
import { httpGet, killAll, parseExposition, startReceiver, startService, until, type Receiver, type Service } from './support';

const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

afterAll(killAll);

describe('one request is one trace across frontend and backend (OTLP/HTTP JSON)', () => {
  let receiver: Receiver;
  let backend: Service;
  let frontend: Service;
  const N = 6;
  const results: Array<{ status: number; body: string }> = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    backend = await startService('backend', {
      ...otel, OTEL_SERVICE_NAME: 'demo-backend', OTEL_RESOURCE_ATTRIBUTES: 'k8s.namespace.name=observability,k8s.pod.name=demo-backend-abc',
      ERROR_RATIO: '0', SLOW_STEP_MS: '30', LATENCY_MS: '5', JITTER_MS: '5',
    });
    frontend = await startService('frontend', { ...otel, OTEL_SERVICE_NAME: 'demo-frontend', BACKEND_URL: backend.url });
    for (let i = 0; i < N; i++) results.push(await httpGet(`${frontend.url}/api/orders/${100 + i}`));
    // One request nothing routes, and probes, which must not count as traffic.
    results.push(await httpGet(`${frontend.url}/no/such/path/123`));
    await httpGet(`${frontend.url}/healthz`);
    await httpGet(`${frontend.url}/readyz`);
  });

  afterAll(async () => {
    await Promise.all([frontend?.stop(), backend?.stop()]);
    await receiver?.close();
  });

  /** Trace ids of the frontend's completed API requests, from its log lines. */
  function frontendTraceIds(): string[] {
    return frontend.logs.filter((l) => l.msg === 'request completed' && l.route === '/api/orders/:id').map((l) => String(l.trace_id));
  }

  test('every order succeeds with ERROR_RATIO=0', () => {
    expect(results.slice(0, N).map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(JSON.parse(results[0].body)).toMatchObject({ order: '100', sku: 'sku-100' });
    expect(results[N].status).toBe(404);
  });

  test('spans of both services share the trace id, with the backend span a child of the frontend client span', async () => {
    const traceIds = frontendTraceIds();
    expect(traceIds).toHaveLength(N);
    expect(new Set(traceIds).size).toBe(N);
    // Each service exports its own batches: wait for the frontend's spans as well as the backend's.
    await receiver.waitFor((spans) => traceIds.every((t) => spans.some((s) => s.traceId === t && s.name === 'inventory.lookup')
      && spans.some((s) => s.traceId === t && s.service === 'demo-frontend' && s.kind === SPAN_KIND.client)
      && spans.some((s) => s.traceId === t && s.service === 'demo-frontend' && s.kind === SPAN_KIND.server)));
    for (const traceId of traceIds) {
      const spans = receiver.spans.filter((s) => s.traceId === traceId);
      const feServer = spans.find((s) => s.service === 'demo-frontend' && s.kind === SPAN_KIND.server);
      const feClient = spans.find((s) => s.service === 'demo-frontend' && s.kind === SPAN_KIND.client);
      const beServer = spans.find((s) => s.service === 'demo-backend' && s.kind === SPAN_KIND.server);
      const slow = spans.find((s) => s.service === 'demo-backend' && s.name === 'inventory.lookup');
      expect(feServer).toBeDefined();
      expect(feClient?.parentSpanId).toBe(feServer!.spanId);
      expect(beServer?.parentSpanId).toBe(feClient!.spanId);
      expect(slow?.parentSpanId).toBe(beServer!.spanId);
      expect(feServer!.parentSpanId).toBe('');
      // Spans are named after the route template, and carry it as http.route.
      expect(feServer!.name).toBe('GET /api/orders/:id');
      expect(feServer!.attributes['http.route']).toBe('/api/orders/:id');
      expect(beServer!.name).toBe('GET /api/inventory/:sku');
      expect(slow!.attributes['demo.slow_step_ms']).toBe(30);
    }
  });

  test('resource attributes come from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', () => {
    const be = receiver.spans.find((s) => s.service === 'demo-backend');
    expect(be?.resource).toMatchObject({ 'service.name': 'demo-backend', 'k8s.namespace.name': 'observability', 'k8s.pod.name': 'demo-backend-abc' });
    expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
  });

  test('probes and /metrics are not traced', () => {
    expect(receiver.spans.some((s) => ['/healthz', '/readyz', '/metrics'].some((p) => s.name.includes(p) || String(s.attributes['url.path']).startsWith(p)))).toBe(false);
  });

  test('/metrics (text format) has the counter and histogram by method, route template and status', async () => {
    const res = await httpGet(`${frontend.url}/metrics`);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(res.body);
    const count = samples.find((s) => s.name === 'http_requests_total' && s.labels.route === '/api/orders/:id');
    expect(count).toEqual({ name: 'http_requests_total', labels: { method: 'GET', route: '/api/orders/:id', status: '200' }, value: N });
    expect(samples.find((s) => s.name === 'http_request_duration_seconds_count' && s.labels.route === '/api/orders/:id')?.value).toBe(N);
    const inf = samples.find((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === '/api/orders/:id' && s.labels.le === '+Inf');
    expect(inf?.labels).toEqual({ le: '+Inf', method: 'GET', route: '/api/orders/:id', status: '200' });
    expect(inf?.value).toBe(N);
    // The backend's slow step (30 ms) plus latency shows in the frontend's duration.
    const sum = samples.find((s) => s.name === 'http_request_duration_seconds_sum' && s.labels.route === '/api/orders/:id')!.value;
    expect(sum / N).toBeGreaterThan(0.03);
    // Unrouted requests are counted under a fixed route, never the raw path; probes are not counted.
    expect(samples.find((s) => s.name === 'http_requests_total' && s.labels.route === 'unmatched')?.labels.status).toBe('404');
    expect(res.body).not.toContain('/no/such/path');
    expect(samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route).sort()).toEqual(['/api/orders/:id', 'unmatched']);
    // Process metrics come along.
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
  });

  test('/metrics in OpenMetrics (what Prometheus asks for) carries exemplars with the trace id', async () => {
    const res = await httpGet(`${frontend.url}/metrics`, { accept: OM_ACCEPT });
    expect(res.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(res.body.endsWith('# EOF\n')).toBe(true);
    const samples = parseExposition(res.body);
    const counter = samples.find((s) => s.name === 'http_requests_total' && s.labels.status === '200');
    expect(counter?.labels).toEqual({ method: 'GET', route: '/api/orders/:id', status: '200' });
    expect(counter?.value).toBe(N);
    const traceIds = frontendTraceIds();
    expect(traceIds).toContain(counter?.exemplar?.trace_id);
    const bucketExemplars = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === '/api/orders/:id' && s.exemplar);
    expect(bucketExemplars.length).toBeGreaterThan(0);
    for (const b of bucketExemplars) {
      expect(traceIds).toContain(b.exemplar!.trace_id);
      expect(b.exemplar!.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
    // The exemplar's span is the frontend server span of that trace (what Grafana opens in Tempo).
    const span = receiver.spans.find((s) => s.spanId === counter!.exemplar!.span_id);
    expect(span).toMatchObject({ service: 'demo-frontend', kind: SPAN_KIND.server, traceId: counter!.exemplar!.trace_id });
  });

  test('log lines are JSON with a word level, msg, and the trace_id/span_id of the request', () => {
    for (const svc of [frontend, backend]) {
      expect(svc.nonJson).toEqual([]);
      for (const l of svc.logs) {
        expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(l.level);
        expect(typeof l.msg).toBe('string');
      }
    }
    const feLines = frontend.logs.filter((l) => l.msg === 'request completed');
    expect(feLines).toHaveLength(N + 1);
    for (const line of feLines) {
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      const server = receiver.spans.find((s) => s.service === 'demo-frontend' && s.kind === SPAN_KIND.server && s.traceId === line.trace_id);
      // The 404 is traced too but has no backend leg; every line names the server span it was written in.
      expect(server?.spanId).toBe(line.span_id);
    }
    // Every backend line written inside a request belongs to one of the frontend's traces.
    const feTraces = new Set(frontendTraceIds());
    const beRequestLines = backend.logs.filter((l) => l.msg === 'request completed' || l.msg === 'inventory looked up');
    expect(beRequestLines).toHaveLength(2 * N);
    for (const l of beRequestLines) {
      expect(feTraces.has(String(l.trace_id))).toBe(true);
      const span = receiver.spans.find((s) => s.spanId === l.span_id);
      expect(span).toMatchObject({ service: 'demo-backend', traceId: l.trace_id });
    }
    // Lines outside a request carry no trace context.
    const listening = backend.logs.find((l) => l.msg === 'listening')!;
    expect(listening.trace_id).toBeUndefined();
    expect(listening).toMatchObject({ level: 'info', service: 'demo-backend', role: 'backend' });
  });
});

describe('ERROR_RATIO changes the observed error ratio', () => {
  let receiver: Receiver;
  beforeAll(async () => { receiver = await startReceiver(); });
  afterAll(async () => { await receiver?.close(); });

  test('ERROR_RATIO=1: every backend answer is a 500, the frontend answers 502, and the error is traced and logged', async () => {
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    const backend = await startService('backend', { ...otel, OTEL_SERVICE_NAME: 'demo-backend', ERROR_RATIO: '1' });
    const frontend = await startService('frontend', { ...otel, OTEL_SERVICE_NAME: 'demo-frontend', BACKEND_URL: backend.url });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await httpGet(`${frontend.url}/api/orders/${i}`)).status);
      expect(statuses).toEqual(Array(10).fill(502));
      const be = parseExposition((await httpGet(`${backend.url}/metrics`)).body);
      expect(be.filter((s) => s.name === 'http_requests_total').map((s) => [s.labels.status, s.value])).toEqual([['500', 10]]);
      const fe = parseExposition((await httpGet(`${frontend.url}/metrics`)).body);
      expect(fe.filter((s) => s.name === 'http_requests_total').map((s) => [s.labels.status, s.value])).toEqual([['502', 10]]);
      const failure = backend.logs.find((l) => l.msg === 'injected failure')!;
      expect(failure.level).toBe('error');
      await receiver.waitFor((spans) => spans.some((s) => s.traceId === failure.trace_id && s.service === 'demo-backend' && s.kind === SPAN_KIND.server));
      const beServer = receiver.spans.find((s) => s.traceId === failure.trace_id && s.service === 'demo-backend' && s.kind === SPAN_KIND.server)!;
      expect(beServer.statusCode).toBe(2); // STATUS_CODE_ERROR
      expect(frontend.logs.find((l) => l.msg === 'backend failed' && l.trace_id === failure.trace_id)?.level).toBe('error');
    } finally {
      await Promise.all([frontend.stop(), backend.stop()]);
    }
  });

  test('ERROR_RATIO=0.5: about half of 300 requests fail', async () => {
    const backend = await startService('backend', { OTEL_TRACES_EXPORTER: 'none', ERROR_RATIO: '0.5' });
    try {
      const statuses: number[] = [];
      const ids = Array.from({ length: 300 }, (_, i) => i);
      // 15 concurrent clients.
      await Promise.all(Array.from({ length: 15 }, async (_, w) => {
        for (const i of ids.filter((x) => x % 15 === w)) statuses.push((await httpGet(`${backend.url}/api/inventory/s${i}`)).status);
      }));
      const ratio = statuses.filter((s) => s === 500).length / statuses.length;
      expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
      // Binomial(300, 0.5): sd is 0.029, so [0.35, 0.65] is more than 5 sd either side.
      expect(ratio).toBeGreaterThan(0.35);
      expect(ratio).toBeLessThan(0.65);
    } finally {
      await backend.stop();
    }
  });

  test('LATENCY_MS and SLOW_STEP_MS add up in the measured duration', async () => {
    const backend = await startService('backend', { OTEL_TRACES_EXPORTER: 'none', LATENCY_MS: '60', SLOW_STEP_MS: '60' });
    try {
      const t0 = Date.now();
      expect((await httpGet(`${backend.url}/api/inventory/x`)).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
      const sum = parseExposition((await httpGet(`${backend.url}/metrics`)).body).find((s) => s.name === 'http_request_duration_seconds_sum');
      expect(sum!.value).toBeGreaterThanOrEqual(0.115);
    } finally {
      await backend.stop();
    }
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM: readiness fails, the in-flight request completes, queued spans are flushed, exit code 0', async () => {
    const receiver = await startReceiver();
    // A batch delay far beyond the test: spans can only reach the receiver through the shutdown flush.
    const backend = await startService('backend', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_SERVICE_NAME: 'demo-backend', SLOW_STEP_MS: '700', SHUTDOWN_DELAY_MS: '300',
    });
    try {
      const inFlight = httpGet(`${backend.url}/api/inventory/slow`);
      // Let the request reach the backend's slow step before the signal.
      await new Promise((r) => setTimeout(r, 150));
      backend.proc.kill('SIGTERM');
      await until(() => backend.logs.some((l) => l.msg === 'shutting down'), 2000, 'shutting down');
      // During the shutdown delay the pod still serves, but reports not ready so endpoints drop it.
      const ready = await httpGet(`${backend.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(receiver.spans).toEqual([]);
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await backend.exited).toBe(0);
      const completed = backend.logs.find((l) => l.msg === 'request completed')!;
      expect(receiver.spans.filter((s) => s.traceId === completed.trace_id).map((s) => s.name).sort()).toEqual(['GET /api/inventory/:sku', 'inventory.lookup']);
      expect(backend.logs.at(-1)?.msg).toBe('stopped');
      // The listener is closed.
      await expect(httpGet(`${backend.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await receiver.close();
    }
  });

  test('an unreachable collector does not turn a stop into a failure', async () => {
    const backend = await startService('backend', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_EXPORTER_OTLP_TIMEOUT: '500' });
    expect((await httpGet(`${backend.url}/api/inventory/a`)).status).toBe(200);
    expect(await backend.stop()).toBe(0);
    expect(backend.logs.at(-1)?.msg).toBe('stopped');
  });
});

describe('OTLP/HTTP protobuf (the protocol the cluster uses)', () => {
  test('spans arrive as protobuf and carry the trace id of the request', async () => {
    const receiver = await startReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
    const backend = await startService('backend', { ...otel, OTEL_SERVICE_NAME: 'demo-backend' });
    const frontend = await startService('frontend', { ...otel, OTEL_SERVICE_NAME: 'demo-frontend', BACKEND_URL: backend.url });
    try {
      expect((await httpGet(`${frontend.url}/api/orders/7`)).status).toBe(200);
      const traceId = String(frontend.logs.find((l) => l.msg === 'request completed')!.trace_id);
      // Protobuf carries ids as raw bytes: both services' exports contain the 16 bytes of the trace id.
      const raw = Buffer.from(traceId, 'hex');
      await receiver.waitFor((_, pb) => pb.filter((b) => b.includes(raw)).length >= 2);
      expect(receiver.contentTypes.every((t) => t === 'application/x-protobuf')).toBe(true);
      const bodies = receiver.protobufBodies.filter((b) => b.includes(raw));
      expect(bodies.some((b) => b.includes(Buffer.from('demo-frontend')))).toBe(true);
      expect(bodies.some((b) => b.includes(Buffer.from('demo-backend')))).toBe(true);
    } finally {
      await Promise.all([frontend.stop(), backend.stop()]);
      await receiver.close();
    }
  });
});

describe('traffic generator', () => {
  test('sends TRAFFIC_RPS requests per second to FRONTEND_URL, and stops cleanly', async () => {
    const backend = await startService('backend', { OTEL_TRACES_EXPORTER: 'none' });
    const frontend = await startService('frontend', { OTEL_TRACES_EXPORTER: 'none', BACKEND_URL: backend.url });
    const traffic = await startService('traffic', { FRONTEND_URL: frontend.url, TRAFFIC_RPS: '20' });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(await traffic.stop()).toBe(0);
      const stopped = traffic.logs.find((l) => l.msg === 'traffic stopped')!;
      // 20 rps for about a second (start-up jitter aside).
      expect(Number(stopped.sent)).toBeGreaterThanOrEqual(14);
      expect(Number(stopped.sent)).toBeLessThanOrEqual(26);
      expect(stopped.ok).toBe(stopped.sent);
      const fe = parseExposition((await httpGet(`${frontend.url}/metrics`)).body);
      expect(fe.find((s) => s.name === 'http_requests_total' && s.labels.route === '/api/orders/:id')?.value).toBe(stopped.sent);
    } finally {
      await Promise.all([frontend.stop(), backend.stop()]);
    }
  });
});
