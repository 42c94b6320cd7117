import { renderTempoConfig, renderTempoReceivers, type TempoConfigInput } from '../../../src/components/tempo/tempo-config';
import { BASE } from '../../../src/config/defaults';

const base: TempoConfigInput = {
  httpPort: 3200,
  grpcPort: 9095,
  receivers: { otlpGrpc: 4317 },
  retention: '48h',
  dataDir: '/data',
  objectStorage: BASE.tempo.objectStorage,
  metricsGenerator: { remoteWriteUrl: 'http://prom.ns.svc:9090/api/v1/write', clusterName: 'c1', memoryLimitBytes: 512 * 2 ** 20 },
};

describe('renderTempoConfig', () => {
  it('caps the local-blocks live-trace buffer at an eighth of the memory limit, and at Tempo\'s own default', () => {
    const small = renderTempoConfig(base).metrics_generator!.processor.local_blocks.max_live_traces_bytes;
    expect(small).toBe(64 * 2 ** 20);
    const large = renderTempoConfig({ ...base, metricsGenerator: { ...base.metricsGenerator!, memoryLimitBytes: 8 * 2 ** 30 } });
    expect(large.metrics_generator!.processor.local_blocks.max_live_traces_bytes).toBe(250_000_000);
  });

  it('keeps every path under the data directory', () => {
    const cfg = renderTempoConfig(base);
    expect([cfg.storage.trace.wal.path, cfg.storage.trace.local!.path, cfg.metrics_generator!.storage.path, cfg.metrics_generator!.traces_storage.path])
      .toEqual(['/data/wal', '/data/blocks', '/data/generator/wal', '/data/generator/traces']);
  });

  it('without a generator input: no generator, no processors', () => {
    const cfg = renderTempoConfig({ ...base, metricsGenerator: undefined });
    expect(cfg.metrics_generator).toBeUndefined();
    expect(cfg.overrides).toEqual({ defaults: {} });
  });

  it('renders no receiver that was not asked for', () => {
    expect(renderTempoReceivers({})).toEqual({});
    expect(renderTempoReceivers({ jaegerThriftHttp: 14268 })).toEqual({ jaeger: { protocols: { thrift_http: { endpoint: '0.0.0.0:14268' } } } });
  });
});
