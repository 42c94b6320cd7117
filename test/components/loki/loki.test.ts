import { LOKI_TENANT_HEADER, lokiAuthEnabled, lokiTenantHeaders } from '../../../src/components/loki/loki-config';
import { parseQuantity } from '../../../src/config/units';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../src/lib/kube';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const NS = 'observability';

function loki(profile: 'dev' | 'prod', overrides = {}) {
  const build = buildEnv(profile, overrides);
  const objects = objectsOf(build);
  return { build, objects, config: configMapYaml(objects, 'loki', 'loki.yaml', NS), sts: find(objects, 'StatefulSet', 'loki', NS) };
}

describe.each(['dev', 'prod'] as const)('Loki (%s)', (profile) => {
  const { build, config, sts } = loki(profile);

  it('enables retention end to end: period from config, compactor retention on, delete-request store set', () => {
    expect(config.limits_config.retention_period).toBe(build.env.config.loki.retention);
    expect(config.compactor.retention_enabled).toBe(true);
    expect(config.compactor.delete_request_store).toBe('filesystem');
    expect(config.compactor.working_directory.startsWith('/var/loki/')).toBe(true);
  });

  it('replays its WAL within 75% of its memory limit, and keeps caches and streams within the rest', () => {
    const mem = parseQuantity(sts.spec.template.spec.containers[0].resources.limits.memory)!;
    expect(config.ingester.wal.replay_memory_ceiling).toBe(`${(0.75 * mem) / 2 ** 20}MB`);
    expect(config.limits_config.max_global_streams_per_user * config.ingester.chunk_block_size).toBe(0.5 * mem);
    const cacheBytes = (config.chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb + 6 * config.query_range.results_cache.cache.embedded_cache.max_size_mb) * 1e6;
    expect(cacheBytes).toBeLessThanOrEqual(0.2 * mem);
  });

  it('answers a query that runs out of time: HTTP write timeout above query_timeout', () => {
    expect(config.limits_config.query_timeout).toBe('60s');
    expect(config.server.http_server_write_timeout).toBe('90s');
  });

  it('stores a TSDB v13 index on the filesystem of its data volume, ring in memory, one replica', () => {
    expect(config.schema_config.configs).toEqual([expect.objectContaining({ store: 'tsdb', object_store: 'filesystem', schema: 'v13' })]);
    expect(config.common.ring.kvstore.store).toBe('inmemory');
    expect(config.common.replication_factor).toBe(1);
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.containers[0].args).toEqual(['-config.file=/etc/loki/loki.yaml', '-target=all']);
    const data = sts.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'data');
    expect(data.mountPath).toBe(config.common.path_prefix);
  });

  it('allows structured metadata and applies the profile\'s limits', () => {
    const l = build.env.config.loki.limits;
    expect(config.limits_config).toMatchObject({
      allow_structured_metadata: true,
      ingestion_rate_mb: l.ingestionRateMB,
      ingestion_burst_size_mb: l.ingestionBurstSizeMB,
      max_query_series: l.maxQuerySeries,
      max_query_length: l.maxQueryLength,
    });
    expect(config.analytics.reporting_enabled).toBe(false);
  });

  it('listens on the registry\'s ports and exposes both on its Service', () => {
    expect(config.server.http_listen_port).toBe(build.endpoints.loki.http.port);
    expect(config.server.grpc_listen_port).toBe(build.endpoints.loki.grpc.port);
    const svc = find(objectsOf(build), 'Service', 'loki', NS);
    expect(svc.spec.ports.map((p: { name: string; port: number }) => [p.name, p.port])).toEqual([['http-metrics', 3100], ['grpc', 9095]]);
  });

  it('is ready on /ready, with a startup probe, GOMEMLIMIT under the memory limit and a read-only root', () => {
    const c = sts.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.startupProbe.httpGet.path).toBe('/ready');
    expect(c.env).toEqual([{ name: 'GOMEMLIMIT', value: expect.stringMatching(/^\d+MiB$/) }]);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true });
    expect(sts.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('keeps data on a claim (prod) or a size-capped emptyDir (dev)', () => {
    const persistent = build.env.config.loki.storage.persistent;
    expect(sts.spec.volumeClaimTemplates ?? []).toHaveLength(persistent ? 1 : 0);
    const empty = sts.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data');
    expect(empty === undefined).toBe(persistent);
  });
});

describe('Loki multi-tenancy', () => {
  it('is off without a tenant: auth disabled and no header to send', () => {
    expect(loki('dev').config.auth_enabled).toBe(false);
    expect(lokiAuthEnabled('')).toBe(false);
    expect(lokiTenantHeaders('')).toEqual({});
  });

  it('is on with a tenant: auth enabled, and the same tenant in the header clients send', () => {
    expect(loki('dev', { loki: { tenant: 'team-a' } }).config.auth_enabled).toBe(true);
    expect(lokiTenantHeaders('team-a')).toEqual({ [LOKI_TENANT_HEADER]: 'team-a' });
    expect(LOKI_TENANT_HEADER).toBe('X-Scope-OrgID');
  });
});

describe('Loki retention "forever"', () => {
  it('keeps logs forever: a zero retention period (Loki\'s "never delete"), and lines of any age accepted', () => {
    const { config } = loki('prod', { loki: { retention: 'forever' } });
    expect(config.limits_config.retention_period).toBe('0s');
    expect(config.limits_config.reject_old_samples).toBe(false);
    expect(config.limits_config).not.toHaveProperty('reject_old_samples_max_age');
    expect(config.compactor.retention_enabled).toBe(true);
  });

  it('refuses a zero retention, which Loki would also read as forever, pointing at the explicit spelling', () => {
    expect(() => loki('prod', { loki: { retention: '0s' } })).toThrow('loki.retention: "0s" is zero, which Loki reads as "keep logs forever"; write "forever" if that is meant');
  });
});

describe('Loki in the stack', () => {
  it('rolls its pod when the config changes, and only then', () => {
    const a = loki('dev').sts.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    expect(loki('dev', { common: { labels: { team: 'x' } } }).sts.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION]).toBe(a);
    expect(loki('dev', { loki: { retention: '72h' } }).sts.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION]).not.toBe(a);
  });

  it('is scraped by Prometheus on its metrics port', () => {
    const { build, objects } = loki('dev');
    const prom = configMapYaml(objects, 'prometheus', 'prometheus.yaml', NS);
    const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === 'loki');
    expect(job.kubernetes_sd_configs[0].namespaces.names).toEqual([NS]);
    expect(job.relabel_configs[0]).toMatchObject({ regex: build.endpoints.loki.http.portName, action: 'keep' });
    expect(build.wires).toContainEqual(expect.objectContaining({ from: 'prometheus', to: build.endpoints.loki.http, kind: 'scrape' }));
  });

  it('is left out, with its agent, when loki.enabled is false', () => {
    const build = buildEnv('dev', { loki: { enabled: false } });
    const ids = build.charts.map((c) => c.node.id);
    expect(ids).not.toContain('loki');
    expect(ids).not.toContain('promtail');
    expect(ids).not.toContain('alloy');
    expect(build.wires.some((w) => w.to.component === 'loki' || w.from === 'promtail' || w.from === 'alloy')).toBe(false);
  });
});
