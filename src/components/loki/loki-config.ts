/**
 * Loki's configuration file (monolithic, or simple-scalable read / write / backend) as typed data with upstream key names
 * (https://grafana.com/docs/loki/latest/configure/). Pure: config in, object out; used by the manifests
 * and by the Helm values generator alike.
 */
import { TIMEOUTS, dskitServer } from '../../config/sizing';
import { LOKI_CHUNK_BLOCK_BYTES, lokiSizing } from './sizing';
import { OTLP_ATTRIBUTE_LABELS, OTLP_CLUSTER_ATTRIBUTE } from '../../lib/otlp';
import type { LokiConfig, ObjectStorageSpec } from '../../config/types';
import type { LokiScalableEndpoints } from './endpoints';
import { LOKI_KEEP_FOREVER } from './config';
import { OBJECT_STORAGE_ENV, azureEndpointSuffix, envRef, storeAddress, usesSecret } from '../../lib/object-storage';
import { lokiAuthEnabled } from './endpoints';

export type LokiObjectStore = 'filesystem' | 's3' | 'gcs' | 'azure';

/** `common.storage`: exactly one backend. */
export interface LokiCommonStorage {
  filesystem?: { chunks_directory: string; rules_directory: string };
  s3?: {
    endpoint: string;
    region: string;
    bucketnames: string;
    access_key_id?: string;
    secret_access_key?: string;
    insecure: boolean;
    s3forcepathstyle: boolean;
  };
  gcs?: { bucket_name: string; endpoint?: string };
  azure?: {
    account_name: string;
    account_key?: string;
    container_name: string;
    endpoint_suffix: string;
    use_federated_token?: boolean;
  };
}

export interface LokiConfigFile {
  auth_enabled: boolean;
  server: {
    http_listen_port: number;
    grpc_listen_port: number;
    http_server_read_timeout: string;
    http_server_write_timeout: string;
    log_level: string;
  };
  common: {
    path_prefix: string;
    instance_addr?: string;
    replication_factor: number;
    ring: { kvstore: { store: 'inmemory' | 'memberlist' } };
    storage: LokiCommonStorage;
    compactor_grpc_address?: string;
  };
  memberlist?: { join_members: string[]; bind_port: number; abort_if_cluster_join_fails: boolean };
  storage_config?: { tsdb_shipper: { index_gateway_client: { server_address: string } } };
  index_gateway?: { mode: 'simple' | 'ring' };
  query_scheduler?: { use_scheduler_ring: boolean };
  frontend?: { tail_proxy_url: string };
  schema_config: {
    configs: Array<{
      from: string;
      store: 'tsdb';
      object_store: LokiObjectStore;
      schema: 'v13';
      index: { prefix: string; period: string };
    }>;
  };
  ingester: {
    wal: { enabled: boolean; dir: string; flush_on_shutdown: boolean; replay_memory_ceiling: string };
    chunk_idle_period: string;
    chunk_block_size: number;
  };
  compactor: {
    working_directory: string;
    compaction_interval: string;
    retention_enabled: boolean;
    retention_delete_delay: string;
    delete_request_store: LokiObjectStore;
    deletion_marker_object_store_prefix?: string;
  };
  limits_config: {
    retention_period: string;
    allow_structured_metadata: boolean;
    volume_enabled: boolean;
    ingestion_rate_mb: number;
    ingestion_burst_size_mb: number;
    max_query_series: number;
    max_query_length: string;
    max_global_streams_per_user: number;
    query_timeout: string;
    reject_old_samples: boolean;
    reject_old_samples_max_age?: string;
    /** OTLP ingestion: which resource attributes become stream labels; every other one is structured metadata. */
    otlp_config: {
      resource_attributes: { ignore_defaults: boolean; attributes_config: Array<{ action: 'index_label'; attributes: string[] }> };
    };
  };
  chunk_store_config: { chunk_cache_config: { embedded_cache: { enabled: boolean; max_size_mb: number } } };
  query_range: { results_cache: { cache: { embedded_cache: { enabled: boolean; max_size_mb: number } } } };
  analytics: { reporting_enabled: boolean };
}

export interface LokiConfigInput {
  readonly config: LokiConfig;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Mount path of the data volume; every path Loki writes lies under it. */
  readonly dataDir: string;
  /** Simple-scalable only: addresses of the other targets, from the endpoint registry (`lokiScalableAddresses`). */
  readonly scalable?: LokiScalableAddresses;
}

/** Where the targets of simple-scalable mode reach each other. */
export interface LokiScalableAddresses {
  /** `host:port` of the memberlist headless Service. */
  readonly memberlistJoin: string;
  readonly memberlistPort: number;
  /** `host:port` of the backend headless Service's gRPC port (index gateways). */
  readonly backendHeadlessGrpc: string;
  /** `host:port` of the backend Service's gRPC port (compactor). */
  readonly backendGrpc: string;
  /** URL of the read Service (queriers answer tail requests). */
  readonly readUrl: string;
}

/** Loki's stream labels for OTLP logs: the mapped labels and the cluster; every other attribute is structured metadata. */
export function lokiOtlpIndexLabels(): string[] {
  return [...OTLP_ATTRIBUTE_LABELS.map((m) => m.label), OTLP_CLUSTER_ATTRIBUTE];
}

/** The simple-scalable addresses from the simple-scalable Services (the manifests' or the Helm chart's). */
export function lokiScalableAddresses(eps: LokiScalableEndpoints): LokiScalableAddresses {
  return {
    memberlistJoin: eps.memberlist.address,
    memberlistPort: eps.memberlist.port,
    backendHeadlessGrpc: eps.backendHeadlessGrpc.address,
    backendGrpc: eps.backendGrpc.address,
    readUrl: eps.query.url,
  };
}

/**
 * `common.storage` for the configured backend. Secret credentials are `${VAR}` references expanded by
 * Loki from its environment (`-config.expand-env=true`); with workload identity the keys are left out and
 * the SDK's default credential chain is used.
 */
export function lokiCommonStorage(o: ObjectStorageSpec, dataDir: string): LokiCommonStorage {
  const addr = storeAddress(o);
  const secret = usesSecret(o);
  switch (o.type) {
    case 's3':
      return {
        s3: {
          endpoint: addr?.hostPort ?? '',
          region: o.region,
          bucketnames: o.bucket,
          ...(secret ? { access_key_id: envRef(OBJECT_STORAGE_ENV.accessKeyId), secret_access_key: envRef(OBJECT_STORAGE_ENV.secretAccessKey) } : {}),
          insecure: addr?.insecure ?? false,
          s3forcepathstyle: o.forcePathStyle,
        },
      };
    case 'gcs':
      // The endpoint is left to the client unless one was configured (a GCS emulator, a private endpoint).
      return { gcs: { bucket_name: o.bucket, ...(o.endpoint !== '' && addr ? { endpoint: addr.url } : {}) } };
    case 'azure':
      return {
        azure: {
          account_name: o.accountName,
          ...(secret ? { account_key: envRef(OBJECT_STORAGE_ENV.accountKey) } : { use_federated_token: true }),
          container_name: o.bucket,
          endpoint_suffix: azureEndpointSuffix(o),
        },
      };
    default:
      return { filesystem: { chunks_directory: `${dataDir}/chunks`, rules_directory: `${dataDir}/rules` } };
  }
}

/**
 * The first (and only) schema period. A fixed date in the past, never "today": changing it later would
 * make Loki look for older data under a schema it was not written with.
 */
export const LOKI_SCHEMA_FROM = '2024-04-01';

/**
 * Object-storage prefix of the compactor's retention and deletion markers. Loki 3.7 keeps them on the
 * compactor's local disk unless this is set; in object storage they survive the compactor moving to
 * another pod. Loki's own prefixes (`index/`, `__deletion_manifest__/`) and tenant folders stay apart.
 */
export const LOKI_DELETION_MARKER_PREFIX = '__deletion_markers__/';

// The tenant header and switch are what clients need too: they live with the endpoints.
export { LOKI_TENANT_HEADER, lokiAuthEnabled, lokiTenantHeaders } from './endpoints';

export function renderLokiConfig(input: LokiConfigInput): LokiConfigFile {
  const { config, dataDir, scalable } = input;
  const store: LokiObjectStore = config.objectStorage.type;
  const size = lokiSizing(config);
  const forever = config.retention === LOKI_KEEP_FOREVER;
  return {
    auth_enabled: lokiAuthEnabled(config.tenant),
    server: dskitServer(input.httpPort, input.grpcPort),
    common: scalable === undefined
      ? {
        path_prefix: dataDir,
        // One process holds every ring (in memory): it only needs to find itself.
        instance_addr: '127.0.0.1',
        replication_factor: 1,
        ring: { kvstore: { store: 'inmemory' } },
        storage: lokiCommonStorage(config.objectStorage, dataDir),
      }
      : {
        path_prefix: dataDir,
        // Each pod announces its own pod IP (Loki's default interface lookup) in the memberlist rings.
        replication_factor: config.replicationFactor,
        ring: { kvstore: { store: 'memberlist' } },
        storage: lokiCommonStorage(config.objectStorage, dataDir),
        // Delete requests from the read path go to the compactor on the backend target.
        compactor_grpc_address: scalable.backendGrpc,
      },
    ...(scalable !== undefined ? {
      memberlist: {
        join_members: [scalable.memberlistJoin],
        bind_port: scalable.memberlistPort,
        // The first pod of a fresh install finds nobody to join; it must start anyway.
        abort_if_cluster_join_fails: false,
      },
      // Queriers (read) ask the index gateways (backend) for the TSDB index instead of downloading it:
      // `dns+` resolves every backend pod from the headless Service and balances across them.
      storage_config: { tsdb_shipper: { index_gateway_client: { server_address: `dns+${scalable.backendHeadlessGrpc}` } } },
      index_gateway: { mode: 'simple' },
      // Query frontends (read) and queriers find the schedulers (backend) in their ring: with a plain
      // Service address a frontend and a querier could each hold a connection to a different scheduler.
      query_scheduler: { use_scheduler_ring: true },
      frontend: { tail_proxy_url: scalable.readUrl },
    } : {}),
    schema_config: {
      // Identical schema in every mode; only the store the chunks and index live in changes.
      configs: [{ from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: store, schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    ingester: {
      // The WAL on the data volume replays unflushed chunks after a restart; flush on shutdown as well.
      // Past the ceiling, replay flushes to storage instead of growing: the 4 GB default would replay a large
      // WAL into an OOM kill, again on every restart (sizing.ts).
      wal: { enabled: true, dir: `${dataDir}/wal`, flush_on_shutdown: true, replay_memory_ceiling: `${size.walReplayCeilingBytes / 2 ** 20}MB` },
      chunk_idle_period: '30m',
      // The stream limit below is sized on one head block per stream.
      chunk_block_size: LOKI_CHUNK_BLOCK_BYTES,
    },
    compactor: {
      working_directory: `${dataDir}/compactor`,
      compaction_interval: '10m',
      // Without retention_enabled the compactor never deletes, and Loki refuses retention without a
      // delete-request store: both are needed for limits_config.retention_period to take effect.
      retention_enabled: true,
      retention_delete_delay: '2h',
      // Delete requests live in this store (downloaded to the working directory, uploaded back).
      delete_request_store: store,
      // With object storage the markers go there too, so a compactor that moves to another pod finds them.
      ...(store !== 'filesystem' ? { deletion_marker_object_store_prefix: LOKI_DELETION_MARKER_PREFIX } : {}),
    },
    limits_config: {
      // Loki reads a zero retention as "never delete".
      retention_period: forever ? '0s' : config.retention,
      // trace_id/span_id travel as structured metadata (not index labels).
      allow_structured_metadata: true,
      // Grafana's Logs Drilldown reads the volume endpoint.
      volume_enabled: true,
      ingestion_rate_mb: config.limits.ingestionRateMB,
      ingestion_burst_size_mb: config.limits.ingestionBurstSizeMB,
      max_query_series: config.limits.maxQuerySeries,
      max_query_length: config.limits.maxQueryLength,
      // Sized on the ingesters' memory (sizing.ts); `level` is structured metadata, not a label,
      // so a container adds its stdout and stderr streams only.
      max_global_streams_per_user: size.maxGlobalStreamsPerUser,
      query_timeout: `${TIMEOUTS.query}s`,
      // Lines older than the retention would be deleted at the next compaction anyway; kept forever, any age is accepted.
      reject_old_samples: !forever,
      ...(forever ? {} : { reject_old_samples_max_age: config.retention }),
      // OTLP logs (an OTLP forwarder, or applications pushing to /otlp): the stack's label names, which the
      // forwarder sets from the OpenTelemetry attributes (src/lib/otlp.ts), are the stream labels instead of
      // Loki's defaults; the other resource attributes, and each record's trace_id and span_id, are
      // structured metadata.
      otlp_config: {
        resource_attributes: { ignore_defaults: true, attributes_config: [{ action: 'index_label', attributes: lokiOtlpIndexLabels() }] },
      },
    },
    // Loki turns on an embedded chunk cache (100 MB) unless one is configured, and gives five more query
    // caches a copy of the results cache's settings: both sized to the smallest container (sizing.ts).
    chunk_store_config: { chunk_cache_config: { embedded_cache: { enabled: true, max_size_mb: size.chunkCacheMB } } },
    query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: size.resultsCacheMB } } } },
    analytics: { reporting_enabled: false },
  };
}
