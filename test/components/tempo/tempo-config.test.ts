import { renderTempoConfig, renderTempoReceivers, type TempoConfigInput } from '../../../src/components/tempo/tempo-config';
import { BASE } from '../../../src/config/defaults';
import { tempoSizing } from '../../../src/components/tempo/sizing';
import type { TempoConfig } from '../../../src/config/types';
import type { SeriesBudget } from '../../../src/lib/series-budget';

/** The metrics store's budget: large enough that Tempo's own memory decides the generator's ceiling. */
const BUDGET: SeriesBudget = { activeSeries: 10_000_000, nodeContainersSampleLimit: 25_000 };
const withMemory = (memory: string): TempoConfig => ({ ...BASE.tempo, resources: { ...BASE.tempo.resources, limits: { ...BASE.tempo.resources.limits, memory } } });

const base: TempoConfigInput = {
  httpPort: 3200,
  grpcPort: 9095,
  receivers: { otlpGrpc: 4317 },
  retention: '48h',
  dataDir: '/data',
  objectStorage: BASE.tempo.objectStorage,
  sizing: tempoSizing(withMemory('512Mi'), BUDGET),
  metricsGenerator: { remoteWriteUrl: 'http://prom.ns.svc:9090/api/v1/write', clusterName: 'c1' },
};

describe('renderTempoConfig', () => {
  it('caps the local-blocks live-trace buffer at an eighth of the memory limit, and at Tempo\'s own default', () => {
    const small = renderTempoConfig(base).metrics_generator!.processor.local_blocks.max_live_traces_bytes;
    expect(small).toBe(64 * 2 ** 20);
    const large = renderTempoConfig({ ...base, sizing: tempoSizing(withMemory('8Gi'), BUDGET) });
    expect(large.metrics_generator!.processor.local_blocks.max_live_traces_bytes).toBe(250_000_000);
  });

  it('sizes the ingestion rate on the memory limit: live traces of one trace_live_period fit a quarter of it', () => {
    const cfg = renderTempoConfig(base);
    const { rate_limit_bytes, burst_size_bytes } = cfg.overrides.defaults.ingestion;
    expect(cfg.ingester.trace_live_period).toBe('30s');
    expect(rate_limit_bytes * 30).toBeLessThanOrEqual(0.25 * 512 * 2 ** 20);
    expect(burst_size_bytes).toBeGreaterThan(rate_limit_bytes);
    // Tempo's own 15 MB/s would hold 450 MB of live traces in a 512 MiB pod.
    expect(rate_limit_bytes).toBeLessThan(15e6);
  });

  it('caps the generator\'s active series (unlimited upstream) and keeps Tempo\'s trace size limit', () => {
    const cfg = renderTempoConfig(base);
    expect(cfg.overrides.defaults.metrics_generator!.max_active_series).toBeGreaterThan(0);
    expect(cfg.overrides.defaults.global.max_bytes_per_trace).toBe(5_000_000);
  });

  it('writes a search\'s answer after its time limit runs out (HTTP write timeout above the API timeout)', () => {
    const cfg = renderTempoConfig(base);
    expect(cfg.query_frontend.api_timeout).toBe('60s');
    expect(cfg.server.http_server_write_timeout).toBe('90s');
  });

  it('keeps every path under the data directory', () => {
    const cfg = renderTempoConfig(base);
    expect([cfg.storage.trace.wal.path, cfg.storage.trace.local!.path, cfg.metrics_generator!.storage.path, cfg.metrics_generator!.traces_storage.path])
      .toEqual(['/data/wal', '/data/blocks', '/data/generator/wal', '/data/generator/traces']);
  });

  it('without a generator input: no generator, no processors', () => {
    const cfg = renderTempoConfig({ ...base, metricsGenerator: undefined });
    expect(cfg.metrics_generator).toBeUndefined();
    expect(cfg.overrides.defaults.metrics_generator).toBeUndefined();
  });

  it('renders no receiver that was not asked for', () => {
    expect(renderTempoReceivers({})).toEqual({});
    expect(renderTempoReceivers({ jaegerThriftHttp: 14268 })).toEqual({ jaeger: { protocols: { thrift_http: { endpoint: '0.0.0.0:14268' } } } });
  });
});
