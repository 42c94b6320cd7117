/**
 * Loki's configuration file (monolithic, single replica) as typed data with upstream key names
 * (https://grafana.com/docs/loki/latest/configure/). Pure: config in, object out; used by the manifests
 * and by the Helm values generator alike.
 */
import type { LokiConfig } from '../../config/types';

export interface LokiConfigFile {
  auth_enabled: boolean;
  server: { http_listen_port: number; grpc_listen_port: number; log_level: string };
  common: {
    path_prefix: string;
    instance_addr: string;
    replication_factor: number;
    ring: { kvstore: { store: 'inmemory' } };
    storage: { filesystem: { chunks_directory: string; rules_directory: string } };
  };
  schema_config: {
    configs: Array<{
      from: string;
      store: 'tsdb';
      object_store: 'filesystem';
      schema: 'v13';
      index: { prefix: string; period: string };
    }>;
  };
  ingester: {
    wal: { enabled: boolean; dir: string; flush_on_shutdown: boolean };
    chunk_idle_period: string;
  };
  compactor: {
    working_directory: string;
    compaction_interval: string;
    retention_enabled: boolean;
    retention_delete_delay: string;
    delete_request_store: 'filesystem';
  };
  limits_config: {
    retention_period: string;
    allow_structured_metadata: boolean;
    volume_enabled: boolean;
    ingestion_rate_mb: number;
    ingestion_burst_size_mb: number;
    max_query_series: number;
    max_query_length: string;
    reject_old_samples: boolean;
    reject_old_samples_max_age: string;
  };
  query_range: { results_cache: { cache: { embedded_cache: { enabled: boolean; max_size_mb: number } } } };
  analytics: { reporting_enabled: boolean };
}

export interface LokiConfigInput {
  readonly config: LokiConfig;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Mount path of the data volume; every path Loki writes lies under it. */
  readonly dataDir: string;
}

/**
 * The first (and only) schema period. A fixed date in the past, never "today": changing it later would
 * make Loki look for older data under a schema it was not written with.
 */
export const LOKI_SCHEMA_FROM = '2024-04-01';

/** Header that names the tenant on every request to a multi-tenant Loki. */
export const LOKI_TENANT_HEADER = 'X-Scope-OrgID';

/** Multi-tenancy is on exactly when a tenant is configured. */
export function lokiAuthEnabled(tenant: string): boolean {
  return tenant !== '';
}

/**
 * Headers every Loki client (Grafana's datasource, scripts) must send: none for a single-tenant Loki, the
 * tenant header otherwise. The log agents send the same tenant through their own `tenant_id` setting.
 */
export function lokiTenantHeaders(tenant: string): Record<string, string> {
  return lokiAuthEnabled(tenant) ? { [LOKI_TENANT_HEADER]: tenant } : {};
}

export function renderLokiConfig(input: LokiConfigInput): LokiConfigFile {
  const { config, dataDir } = input;
  return {
    auth_enabled: lokiAuthEnabled(config.tenant),
    server: { http_listen_port: input.httpPort, grpc_listen_port: input.grpcPort, log_level: 'info' },
    common: {
      path_prefix: dataDir,
      // One process holds every ring (in memory): it only needs to find itself.
      instance_addr: '127.0.0.1',
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${dataDir}/chunks`, rules_directory: `${dataDir}/rules` } },
    },
    schema_config: {
      configs: [{ from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    ingester: {
      // The WAL on the data volume replays unflushed chunks after a restart; flush on shutdown as well.
      wal: { enabled: true, dir: `${dataDir}/wal`, flush_on_shutdown: true },
      chunk_idle_period: '30m',
    },
    compactor: {
      working_directory: `${dataDir}/compactor`,
      compaction_interval: '10m',
      // Without retention_enabled the compactor never deletes, and Loki refuses retention without a
      // delete-request store: both are needed for limits_config.retention_period to take effect.
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: 'filesystem',
    },
    limits_config: {
      retention_period: config.retention,
      // trace_id/span_id travel as structured metadata (not index labels).
      allow_structured_metadata: true,
      // Grafana's Logs Drilldown reads the volume endpoint.
      volume_enabled: true,
      ingestion_rate_mb: config.limits.ingestionRateMB,
      ingestion_burst_size_mb: config.limits.ingestionBurstSizeMB,
      max_query_series: config.limits.maxQuerySeries,
      max_query_length: config.limits.maxQueryLength,
      // Lines older than the retention would be deleted at the next compaction anyway.
      reject_old_samples: true,
      reject_old_samples_max_age: config.retention,
    },
    query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 50 } } } },
    analytics: { reporting_enabled: false },
  };
}
