import { spawnSync } from 'node:child_process';
import { wantsOpenMetrics } from '../src/metrics';
import { matchRoute, UNMATCHED_ROUTE, type Route } from '../src/server';
import { loadSettings } from '../src/settings';
import { exporterKind } from '../src/telemetry';
import { MAIN } from './support';

describe('settings', () => {
  test('defaults per role', () => {
    const s = loadSettings({ ROLE: 'backend' });
    expect(s).toMatchObject({ role: 'backend', port: 8080, serviceName: 'demo-backend', errorRatio: 0, trafficRps: 1 });
    expect(loadSettings({ ROLE: 'frontend', OTEL_SERVICE_NAME: 'shop' }).serviceName).toBe('shop');
  });

  test.each([
    [{ ROLE: 'db' }, 'ROLE="db": must be one of frontend, backend, traffic, worker'],
    [{ ROLE: 'backend', ERROR_RATIO: '1.5' }, 'ERROR_RATIO="1.5": must be between 0 and 1'],
    [{ ROLE: 'backend', LATENCY_MS: 'slow' }, 'LATENCY_MS="slow": is not a number'],
    [{ ROLE: 'backend', JITTER_MS: '-1' }, 'JITTER_MS="-1": must be >= 0'],
    [{ ROLE: 'traffic', TRAFFIC_RPS: '0' }, 'TRAFFIC_RPS="0": must be > 0'],
    [{ ROLE: 'frontend', BACKEND_URL: 'backend:8080' }, 'BACKEND_URL="backend:8080": must be an http:// URL'],
    [{ ROLE: 'frontend', PORT: '70000' }, 'PORT="70000": must be an integer port (0-65535)'],
  ])('fails on %j', (env, message) => {
    expect(() => loadSettings(env)).toThrow(message);
  });

  test('a bad setting stops the process at start with the variable named on stderr', () => {
    const r = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ROLE: 'backend', ERROR_RATIO: '2' }, encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERROR_RATIO="2": must be between 0 and 1');
  });
});

describe('exporter selection follows the OTEL_* variables', () => {
  test.each([
    [{}, 'otlp-http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'otlp-http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, 'otlp-http/protobuf'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, 'none'],
    [{ OTEL_SDK_DISABLED: 'true' }, 'none'],
  ])('%j -> %s', (env, kind) => {
    expect(exporterKind(env)).toBe(kind);
  });

  test('gRPC is refused with a way out', () => {
    expect(() => exporterKind({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow('use http/protobuf or http/json');
  });
});

describe('content negotiation for /metrics', () => {
  test.each([
    [undefined, false],
    ['text/plain;version=0.0.4', false],
    ['application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5', true],
    ['application/openmetrics-text; version=0.0.1', true],
    ['application/openmetrics-text;q=0', false],
  ])('Accept %s -> OpenMetrics %s', (accept, om) => {
    expect(wantsOpenMetrics(accept)).toBe(om);
  });
});

describe('routing by template', () => {
  const routes: Route[] = [{ method: 'GET', path: '/api/orders/:id', handler: async () => ({ status: 200, body: {} }) }];
  test('params are extracted and the template is the route', () => {
    expect(matchRoute(routes, 'GET', '/api/orders/42')).toMatchObject({ route: { path: '/api/orders/:id' }, params: { id: '42' } });
  });
  test.each([['POST', '/api/orders/42'], ['GET', '/api/orders/'], ['GET', '/api/orders/42/x'], ['GET', '/api/order/42']])('%s %s does not match', (m, p) => {
    expect(matchRoute(routes, m, p)).toBeUndefined();
  });
  test('unmatched requests share one fixed label value', () => {
    expect(UNMATCHED_ROUTE).toBe('unmatched');
  });
});
