/**
 * Tempo's configuration file as typed data, with upstream key names (Tempo 2.10,
 * https://grafana.com/docs/tempo/v2.10.x/configuration/). Pure: config in, object out; used by the
 * manifests and by the Helm values generator alike. The interfaces list only the keys obs-stack sets, so a
 * misspelt key fails to compile instead of being ignored by Tempo.
 */
import { TIMEOUTS, dskitServer } from '../../config/sizing';
import { TEMPO_MAX_BYTES_PER_TRACE, TEMPO_TRACE_LIVE_SECONDS, type TempoSizing } from './sizing';
import type { ObjectStorageSpec } from '../../config/types';
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL } from '../../lib/labels';
import { OBJECT_STORAGE_ENV, azureEndpointSuffix, envRef, storeAddress, usesSecret } from '../../lib/object-storage';

/** Tempo serves streaming search and TraceQL metrics over its HTTP port (`stream_over_http_enabled`); its Grafana datasource streams then. */
export const TEMPO_STREAM_OVER_HTTP = true;

/**
 * Metric names Tempo's metrics-generator writes to the metrics store (Tempo 2.10 source: the span-metrics and
 * service-graphs processors). Dashboards and alert rules reference these constants.
 */
export const TEMPO_METRICS = {
  spanMetrics: {
    /** Counter of spans per label set (request rate; errors have `status_code="STATUS_CODE_ERROR"`). */
    callsTotal: 'traces_spanmetrics_calls_total',
    /** Histogram base name (seconds) of span durations: `_bucket`, `_sum`, `_count`. Carries exemplars. */
    latency: 'traces_spanmetrics_latency',
    latencyBucket: 'traces_spanmetrics_latency_bucket',
    latencySum: 'traces_spanmetrics_latency_sum',
    latencyCount: 'traces_spanmetrics_latency_count',
    /** Counter of span bytes ingested. */
    sizeTotal: 'traces_spanmetrics_size_total',
  },
  serviceGraph: {
    /** Counter of requests on a client -> server edge. */
    requestTotal: 'traces_service_graph_request_total',
    /** Counter of failed requests on an edge. */
    requestFailedTotal: 'traces_service_graph_request_failed_total',
    /** Histogram base name (seconds) of the server-side latency of an edge. Carries exemplars. */
    requestServerSeconds: 'traces_service_graph_request_server_seconds',
    requestServerSecondsBucket: 'traces_service_graph_request_server_seconds_bucket',
    /** Histogram base name (seconds) of the client-side latency of an edge. */
    requestClientSeconds: 'traces_service_graph_request_client_seconds',
    requestClientSecondsBucket: 'traces_service_graph_request_client_seconds_bucket',
  },
} as const;

/** Label names on the generated series. */
export const TEMPO_METRIC_LABELS = {
  /** Span metrics: `service.name` of the span's resource; the same name as the stack-wide service label. */
  service: SERVICE_LABEL,
  spanName: 'span_name',
  /** `SPAN_KIND_SERVER`, `SPAN_KIND_CLIENT`, ... */
  spanKind: 'span_kind',
  /** `STATUS_CODE_UNSET`, `STATUS_CODE_OK`, `STATUS_CODE_ERROR`. */
  statusCode: 'status_code',
  /** Span metrics: `k8s.namespace.name` of the resource, when the exporter sets it (see SPAN_METRICS_DIMENSION_MAPPINGS). */
  namespace: K8S_SIGNAL_LABELS.namespace,
  /** Service graph: the calling and the called service. */
  client: 'client',
  server: 'server',
  connectionType: 'connection_type',
  /** External label the generator stamps on every series it writes. */
  cluster: CLUSTER_LABEL,
} as const;

/** Status code value of failed spans in span metrics. */
export const SPAN_STATUS_ERROR = 'STATUS_CODE_ERROR';

/**
 * Exemplar label holding the trace ID on generated histograms. Tempo 2.10's default (`traceID`), which is
 * what the metrics datasource's `exemplarTraceIdDestinations[].name` must match.
 */
export const TEMPO_EXEMPLAR_TRACE_ID_LABEL = 'traceID';

/** Metrics-generator processors obs-stack enables (Tempo's own names). */
export const TEMPO_PROCESSORS = ['service-graphs', 'span-metrics', 'local-blocks'] as const;
export type TempoProcessor = (typeof TEMPO_PROCESSORS)[number];

/**
 * Span-metrics labels renamed from OpenTelemetry resource attributes so they match the Kubernetes labels
 * of the other signals. Only bounded attributes: a namespace set is small and stable, whereas pod names
 * churn with every rollout and would grow the series count without bound.
 */
export const SPAN_METRICS_DIMENSION_MAPPINGS: readonly TempoDimensionMapping[] = [
  { name: K8S_SIGNAL_LABELS.namespace, source_labels: ['k8s.namespace.name'] },
];

// ---- upstream shapes (only the keys obs-stack sets) ----

/** An OpenTelemetry Collector server setting: the address a receiver listens on. */
export interface TempoReceiverServer {
  endpoint: string;
}

export interface TempoReceivers {
  otlp?: { protocols: { grpc?: TempoReceiverServer; http?: TempoReceiverServer } };
  jaeger?: { protocols: { grpc?: TempoReceiverServer; thrift_http?: TempoReceiverServer } };
  zipkin?: TempoReceiverServer;
}

export interface TempoRemoteWrite {
  url: string;
  send_exemplars: boolean;
}

export interface TempoDimensionMapping {
  name: string;
  source_labels: string[];
  /** Separator between several source values. @default - "" */
  join?: string;
}

export interface MemberlistKv {
  store: 'memberlist';
}

export interface TempoMetricsGeneratorBlock {
  ring?: { kvstore: MemberlistKv };
  registry: { external_labels: Record<string, string> };
  storage: { path: string; remote_write: TempoRemoteWrite[] };
  traces_storage: { path: string };
  processor: {
    span_metrics: { dimension_mappings: TempoDimensionMapping[] };
    local_blocks: { filter_server_spans: boolean; max_live_traces_bytes: number };
  };
}

/** `storage.trace`: the WAL always on the data volume, blocks in exactly one backend. */
export interface TempoTraceStorage {
  backend: 'local' | 's3' | 'gcs' | 'azure';
  wal: { path: string };
  local?: { path: string };
  s3?: { bucket: string; endpoint: string; region: string; access_key?: string; secret_key?: string; insecure: boolean; forcepathstyle: boolean };
  gcs?: { bucket_name: string; endpoint?: string };
  azure?: { storage_account_name: string; storage_account_key?: string; container_name: string; endpoint_suffix: string; use_federated_token?: boolean };
}

export interface TempoConfigFile {
  target: 'all' | 'scalable-single-binary';
  multitenancy_enabled: boolean;
  stream_over_http_enabled: boolean;
  usage_report: { reporting_enabled: boolean };
  server: {
    http_listen_port: number;
    grpc_listen_port: number;
    http_server_read_timeout: string;
    http_server_write_timeout: string;
    log_level: 'debug' | 'info' | 'warn' | 'error';
  };
  distributor: { receivers: TempoReceivers; ring?: { kvstore: MemberlistKv } };
  compactor: { compaction: { block_retention: string }; ring?: { kvstore: MemberlistKv } };
  metrics_generator?: TempoMetricsGeneratorBlock;
  ingester: {
    trace_live_period: string;
    lifecycler?: { ring: { kvstore: MemberlistKv; replication_factor: number } };
  };
  memberlist?: { join_members: string[]; bind_port: number; abort_if_cluster_join_fails: boolean };
  query_frontend: { api_timeout: string };
  querier?: { frontend_worker: { frontend_address: string } };
  storage: { trace: TempoTraceStorage };
  overrides: {
    defaults: {
      ingestion: { rate_limit_bytes: number; burst_size_bytes: number };
      global: { max_bytes_per_trace: number };
      metrics_generator?: { processors: TempoProcessor[]; max_active_series: number };
    };
  };
}

// ---- input ----

/** Which receivers listen, and on which port each. */
export interface TempoReceiverPorts {
  readonly otlpGrpc?: number;
  readonly otlpHttp?: number;
  readonly jaegerGrpc?: number;
  readonly jaegerThriftHttp?: number;
  readonly zipkin?: number;
}

export interface TempoConfigInput {
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Enabled receivers only; a missing entry means the receiver is not configured at all. */
  readonly receivers: TempoReceiverPorts;
  /** `compactor.compaction.block_retention` (Go duration). */
  readonly retention: string;
  /** The directory holding the WAL, the blocks and the generator's data (one volume). */
  readonly dataDir: string;
  /** Where blocks live; `filesystem` keeps them under the data directory (the `local` backend). */
  readonly objectStorage: ObjectStorageSpec;
  /**
   * More than one replica: Tempo's scalable single binary. Every pod runs every module; the ingester,
   * generator and compactor rings meet over memberlist; each pod's querier works for its own query frontend.
   */
  readonly scalable?: {
    readonly replicationFactor: number;
    /** `host:port` of the memberlist headless Service. */
    readonly memberlistJoin: string;
    readonly memberlistPort: number;
  };
  /** Limits sized on the pod's memory (`tempoSizing`). */
  readonly sizing: TempoSizing;
  /** Metrics-generator settings; omitted: no generator, no processors. */
  readonly metricsGenerator?: {
    readonly remoteWriteUrl: string;
    readonly clusterName: string;
  };
}

/**
 * Every receiver listens on all interfaces explicitly: since Tempo 2.7 (OpenTelemetry Collector 0.116) a
 * receiver without an `endpoint` binds to localhost only, which no other pod can reach.
 */
function listen(port: number): TempoReceiverServer {
  return { endpoint: `0.0.0.0:${port}` };
}

export function renderTempoReceivers(ports: TempoReceiverPorts): TempoReceivers {
  const out: TempoReceivers = {};
  if (ports.otlpGrpc !== undefined || ports.otlpHttp !== undefined) {
    out.otlp = {
      protocols: {
        ...(ports.otlpGrpc !== undefined ? { grpc: listen(ports.otlpGrpc) } : {}),
        ...(ports.otlpHttp !== undefined ? { http: listen(ports.otlpHttp) } : {}),
      },
    };
  }
  if (ports.jaegerGrpc !== undefined || ports.jaegerThriftHttp !== undefined) {
    out.jaeger = {
      protocols: {
        ...(ports.jaegerGrpc !== undefined ? { grpc: listen(ports.jaegerGrpc) } : {}),
        ...(ports.jaegerThriftHttp !== undefined ? { thrift_http: listen(ports.jaegerThriftHttp) } : {}),
      },
    };
  }
  if (ports.zipkin !== undefined) out.zipkin = listen(ports.zipkin);
  return out;
}

/** Paths under the data directory. */
export function tempoDataPaths(dataDir: string) {
  return {
    wal: `${dataDir}/wal`,
    blocks: `${dataDir}/blocks`,
    generatorWal: `${dataDir}/generator/wal`,
    generatorTraces: `${dataDir}/generator/traces`,
  } as const;
}

/**
 * `storage.trace` for the configured backend. Secret credentials are `${VAR}` references Tempo expands from
 * its environment (`-config.expand-env=true`); with workload identity they are left out and the SDK's
 * default credential chain is used.
 */
export function renderTempoTraceStorage(o: ObjectStorageSpec, paths: ReturnType<typeof tempoDataPaths>): TempoTraceStorage {
  const wal = { path: paths.wal };
  const addr = storeAddress(o);
  const secret = usesSecret(o);
  switch (o.type) {
    case 's3':
      return {
        backend: 's3', wal,
        s3: {
          bucket: o.bucket,
          endpoint: addr?.hostPort ?? '',
          region: o.region,
          ...(secret ? { access_key: envRef(OBJECT_STORAGE_ENV.accessKeyId), secret_key: envRef(OBJECT_STORAGE_ENV.secretAccessKey) } : {}),
          insecure: addr?.insecure ?? false,
          forcepathstyle: o.forcePathStyle,
        },
      };
    case 'gcs':
      return { backend: 'gcs', wal, gcs: { bucket_name: o.bucket, ...(o.endpoint !== '' && addr ? { endpoint: addr.url } : {}) } };
    case 'azure':
      return {
        backend: 'azure', wal,
        azure: {
          storage_account_name: o.accountName,
          ...(secret ? { storage_account_key: envRef(OBJECT_STORAGE_ENV.accountKey) } : { use_federated_token: true }),
          container_name: o.bucket,
          endpoint_suffix: azureEndpointSuffix(o),
        },
      };
    default:
      return { backend: 'local', wal, local: { path: paths.blocks } };
  }
}

const MEMBERLIST_KV: MemberlistKv = { store: 'memberlist' };

export function renderTempoConfig(input: TempoConfigInput): TempoConfigFile {
  const paths = tempoDataPaths(input.dataDir);
  const gen = input.metricsGenerator;
  const sc = input.scalable;
  return {
    target: sc === undefined ? 'all' : 'scalable-single-binary',
    multitenancy_enabled: false,
    // Grafana's Tempo datasource can stream search and TraceQL metrics results over HTTP.
    stream_over_http_enabled: TEMPO_STREAM_OVER_HTTP,
    usage_report: { reporting_enabled: false },
    server: dskitServer(input.httpPort, input.grpcPort),
    distributor: { receivers: renderTempoReceivers(input.receivers), ...(sc ? { ring: { kvstore: MEMBERLIST_KV } } : {}) },
    // block_retention is how long traces are kept; compacted_block_retention (a different key) only delays
    // deleting blocks that compaction has already replaced.
    compactor: { compaction: { block_retention: input.retention }, ...(sc ? { ring: { kvstore: MEMBERLIST_KV } } : {}) },
    ...(gen !== undefined ? { metrics_generator: { ...(sc ? { ring: { kvstore: MEMBERLIST_KV } } : {}), ...renderMetricsGenerator(gen, paths, input.sizing) } } : {}),
    ingester: {
      // Tempo's default, written out: the ingestion rate limit is sized on how long a trace stays in memory.
      trace_live_period: `${TEMPO_TRACE_LIVE_SECONDS}s`,
      // Every ring (distributor, ingester, metrics-generator, compactor) is set to memberlist explicitly
      // rather than relying on a default; the ingester ring also carries the replication factor.
      ...(sc !== undefined ? { lifecycler: { ring: { kvstore: MEMBERLIST_KV, replication_factor: sc.replicationFactor } } } : {}),
    },
    // Tempo sets no time limit on a query by default; this one is the stack's (`TIMEOUTS.query`).
    query_frontend: { api_timeout: `${TIMEOUTS.query}s` },
    ...(sc !== undefined ? {
      memberlist: { join_members: [sc.memberlistJoin], bind_port: sc.memberlistPort, abort_if_cluster_join_fails: false },
      // Each pod's querier pulls work from its own query frontend (the upstream scalable-single-binary setup).
      querier: { frontend_worker: { frontend_address: `127.0.0.1:${input.grpcPort}` } },
    } : {}),
    storage: { trace: renderTempoTraceStorage(input.objectStorage, paths) },
    overrides: {
      defaults: {
        // Live traces (what the rate lets in during one trace_live_period) fit the pod (sizing.ts);
        // Tempo's 15 MB/s default would not in a small one.
        ingestion: { rate_limit_bytes: input.sizing.rateLimitBytes, burst_size_bytes: input.sizing.burstSizeBytes },
        // Tempo's default, written out: one trace larger than this is refused rather than held.
        global: { max_bytes_per_trace: TEMPO_MAX_BYTES_PER_TRACE },
        // The processors run only when enabled per tenant: enabling the generator alone produces nothing.
        // The series cap (unlimited upstream) keeps span metrics within the metrics store's series budget.
        ...(gen !== undefined ? { metrics_generator: { processors: [...TEMPO_PROCESSORS], max_active_series: input.sizing.generatorMaxActiveSeries } } : {}),
      },
    },
  };
}

function renderMetricsGenerator(
  gen: NonNullable<TempoConfigInput['metricsGenerator']>,
  paths: ReturnType<typeof tempoDataPaths>,
  sizing: TempoSizing,
): TempoMetricsGeneratorBlock {
  return {
    // Remote-written samples skip the receiving store's own external labels, so the generator adds the cluster itself.
    registry: { external_labels: { [CLUSTER_LABEL]: gen.clusterName } },
    storage: {
      path: paths.generatorWal,
      remote_write: [{ url: gen.remoteWriteUrl, send_exemplars: true }],
    },
    traces_storage: { path: paths.generatorTraces },
    processor: {
      span_metrics: { dimension_mappings: SPAN_METRICS_DIMENSION_MAPPINGS.map((m) => ({ ...m, source_labels: [...m.source_labels] })) },
      local_blocks: {
        // TraceQL metrics over every span, not only server spans (Tempo's default keeps server spans only).
        filter_server_spans: false,
        // Tempo's 250 MB default would not fit a small pod: at most an eighth of the memory limit.
        max_live_traces_bytes: sizing.localBlocksLiveTracesBytes,
      },
    },
  };
}
