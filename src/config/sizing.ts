/**
 * Every limit obs-stack derives from a profile's resources instead of taking an upstream default that
 * contradicts them, each in one place with its reason. `defaults.ts` says what a profile asks for (memory,
 * retention, rates); this file says what that buys: WAL replay ceilings, stream and series limits, cache
 * sizes, query concurrency, and the timeouts along each request path. The renderers read these functions;
 * `test/verification/resources.test.ts` holds the rendered configs against the pods' own limits, and the
 * README's scaling table is `capacityOf` for each profile.
 *
 * Planning figures (bytes per series, per span, per log line) are ours: upstream publishes none. They are
 * deliberately on the high side, so the limits below stop a component before its memory limit does.
 */
import type { LokiConfig, PrometheusConfig, ResourceSpec, StackConfig, TempoConfig } from './types';
import { parseQuantity } from './units';

const MiB = 2 ** 20;

/** Memory limit of a container in bytes. */
export function memoryLimitBytes(r: ResourceSpec): number {
  return parseQuantity(r.limits.memory) ?? 0;
}

/** What one unit of load costs (planning figures; see the file header). */
export const COST = {
  /** One active Prometheus series: head chunk, labels, postings, and churn; 8 KiB with GC headroom. */
  prometheusBytesPerSeries: 8 * 1024,
  /** One float sample a PromQL query holds (timestamp and value). */
  prometheusBytesPerSample: 16,
  /** Series cAdvisor exports per container with the cpu, memory, network, disk and diskIO groups (about 70 in 0.60.5), rounded up. */
  cadvisorSeriesPerContainer: 100,
  /** Containers per node: the kubelet's default maxPods (110) at a little over two containers each. */
  containersPerNode: 250,
  /** Loki streams per container: stdout and stderr, twice over for the 30 minutes old pods' streams stay after a rollout (chunk_idle_period). */
  lokiStreamsPerContainer: 4,
  /** One log line as shipped (a JSON line with trace context and labels). */
  logLineBytes: 256,
  /** One span as received (OTLP protobuf with a dozen attributes). */
  spanBytes: 500,
  /** One active series of Tempo's metrics-generator (registry entry and its remote-write WAL). */
  tempoBytesPerGeneratorSeries: 8 * 1024,
} as const;

/** Shares of one container's memory limit that one in-memory structure may take. */
export const MEMORY_SHARE = {
  /** Loki WAL replay flushes to storage past this; Loki's guidance is about 75 % (nothing else runs until replay ends). */
  lokiWalReplay: 0.75,
  /** Loki's active streams, each holding at least its head block (ingester.chunk_block_size). */
  lokiStreams: 0.5,
  /** Loki's embedded chunk cache. */
  lokiChunkCache: 0.1,
  /** Loki's query-range results cache, shared by the six caches that copy its settings. */
  lokiResultsCaches: 0.1,
  /** Tempo's live traces: what the ingestion rate limit lets in during one trace_live_period. */
  tempoLiveTraces: 0.25,
  /** Tempo's local-blocks processor (TraceQL metrics) live traces. */
  tempoLocalBlocks: 0.125,
  /** Tempo's metrics-generator series. */
  tempoGeneratorSeries: 0.25,
  /** Prometheus's active series. */
  prometheusSeries: 0.5,
  /** Every concurrent PromQL query at its sample ceiling, together. */
  prometheusQueries: 0.4,
} as const;

/**
 * The timeout chains, in seconds. Reads: a query runs at most `query`, the backend's HTTP server may write
 * its answer (or the timeout error) until `backendWrite`, and Grafana waits `grafana` for it. Pushes: one
 * push attempt of a log agent gives up after `agentPush`, well inside the backend's `backendRead`, and the
 * agent retries (`agentBackoff`) for longer than Loki may take to restart.
 */
export const TIMEOUTS = {
  /** One query: Loki `limits_config.query_timeout` (its default), Tempo `query_frontend.api_timeout`, Grafana's Prometheus `queryTimeout`. */
  query: 60,
  /** Backend HTTP write timeout (`server.http_server_write_timeout`): the query plus time to send its error. */
  backendWrite: 90,
  /** Backend HTTP read timeout (`server.http_server_read_timeout`, dskit's default): a push body arrives well within it. */
  backendRead: 30,
  /** Grafana's HTTP timeout per datasource (`jsonData.timeout`) and `[dataproxy] timeout`: above every backend's write timeout. */
  grafana: 120,
  /** One push of a log agent (Promtail `timeout`, Alloy `remote_timeout`; both agents' default). */
  agentPush: 10,
  /** Log agents' retries: 500 ms doubling to 1 min, 20 times (about 14 minutes), longer than Loki's 10-minute start-up budget. */
  agentBackoff: { minSeconds: 0.5, maxSeconds: 60, retries: 20 },
} as const;

/**
 * The `server` block of a Grafana Labs store (dskit, shared by Loki and Tempo): its ports, and HTTP timeouts
 * above the query timeout, so a query that runs out of time still gets its answer or its error written
 * (dskit's 30 s write timeout would cut it first).
 */
export function dskitServer(httpPort: number, grpcPort: number) {
  return {
    http_listen_port: httpPort,
    grpc_listen_port: grpcPort,
    http_server_read_timeout: `${TIMEOUTS.backendRead}s`,
    http_server_write_timeout: `${TIMEOUTS.backendWrite}s`,
    log_level: 'info' as const,
  };
}

/**
 * The least time an agent keeps retrying one batch before dropping it: each wait is at least the backoff
 * floor, which doubles from `minSeconds` up to `maxSeconds` (dskit's backoff, used by both agents).
 */
export function retryWindowSeconds(b: { readonly minSeconds: number; readonly maxSeconds: number; readonly retries: number }): number {
  let total = 0;
  for (let i = 0; i < b.retries; i++) total += Math.min(b.minSeconds * 2 ** i, b.maxSeconds);
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Loki

/** Loki's `ingester.chunk_block_size` (its default, written out because the stream limit is sized on it). */
export const LOKI_CHUNK_BLOCK_BYTES = 262144;

/** Loki's own `query_range` caches that copy the results cache's settings when not configured (pkg/loki/config_wrapper.go). */
export const LOKI_RESULTS_CACHE_COPIES = 6;

export interface LokiSizing {
  /** `ingester.wal.replay_memory_ceiling`, bytes. */
  readonly walReplayCeilingBytes: number;
  /** `limits_config.max_global_streams_per_user`. */
  readonly maxGlobalStreamsPerUser: number;
  /** `chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb` (MB of 10^6 bytes). */
  readonly chunkCacheMB: number;
  /** `query_range.results_cache.cache.embedded_cache.max_size_mb`, per copy. */
  readonly resultsCacheMB: number;
}

/** The containers that run Loki's ingesters (monolithic, or the write target) and every container of the config. */
function lokiContainers(config: LokiConfig): { ingester: ResourceSpec; ingesters: number; all: ResourceSpec[] } {
  if (config.mode === 'simple-scalable') {
    return { ingester: config.write.resources, ingesters: config.write.replicas, all: [config.write.resources, config.read.resources, config.backend.resources] };
  }
  return { ingester: config.resources, ingesters: 1, all: [config.resources] };
}

export function lokiSizing(config: LokiConfig): LokiSizing {
  const { ingester, ingesters, all } = lokiContainers(config);
  const ingesterMem = memoryLimitBytes(ingester);
  // One config serves every target: caches fit the smallest container that runs it.
  const smallestMem = Math.min(...all.map(memoryLimitBytes));
  const rf = config.mode === 'simple-scalable' ? config.replicationFactor : 1;
  const streamsPerIngester = Math.floor((ingesterMem * MEMORY_SHARE.lokiStreams) / LOKI_CHUNK_BLOCK_BYTES);
  return {
    walReplayCeilingBytes: Math.floor((ingesterMem * MEMORY_SHARE.lokiWalReplay) / MiB) * MiB,
    // Each stream lives on `rf` of the ingesters.
    maxGlobalStreamsPerUser: Math.floor((streamsPerIngester * ingesters) / rf),
    chunkCacheMB: Math.floor((smallestMem * MEMORY_SHARE.lokiChunkCache) / 1e6),
    resultsCacheMB: Math.floor((smallestMem * MEMORY_SHARE.lokiResultsCaches) / LOKI_RESULTS_CACHE_COPIES / 1e6),
  };
}

// ---------------------------------------------------------------------------------------------------
// Tempo

/** Tempo's `ingester.trace_live_period` (its default): the longest a trace stays in memory before it is cut. */
export const TEMPO_TRACE_LIVE_SECONDS = 30;
/** Tempo's `overrides.defaults.global.max_bytes_per_trace` (its default, 5 MB). */
export const TEMPO_MAX_BYTES_PER_TRACE = 5_000_000;
/** Upper bound of the local-blocks processor's live-trace buffer (Tempo's own default, 250 MB). */
const TEMPO_LOCAL_BLOCKS_MAX = 250_000_000;

export interface TempoSizing {
  /** `overrides.defaults.ingestion.rate_limit_bytes`. */
  readonly rateLimitBytes: number;
  /** `overrides.defaults.ingestion.burst_size_bytes`: Tempo's default ratio (20 MB burst on 15 MB/s). */
  readonly burstSizeBytes: number;
  /** `metrics_generator.processor.local_blocks.max_live_traces_bytes`. */
  readonly localBlocksLiveTracesBytes: number;
  /** `overrides.defaults.metrics_generator.max_active_series` (upstream: unlimited). */
  readonly generatorMaxActiveSeries: number;
}

export function tempoSizing(tempo: TempoConfig, prometheus: PrometheusConfig): TempoSizing {
  const mem = memoryLimitBytes(tempo.resources);
  const rate = Math.floor((mem * MEMORY_SHARE.tempoLiveTraces) / TEMPO_TRACE_LIVE_SECONDS);
  // The generator's series land in Prometheus: at most a quarter of its series budget, and of Tempo's memory.
  const byTempo = Math.floor((mem * MEMORY_SHARE.tempoGeneratorSeries) / COST.tempoBytesPerGeneratorSeries);
  const byPrometheus = Math.floor(prometheusSizing(prometheus).activeSeries / 4);
  return {
    rateLimitBytes: rate,
    burstSizeBytes: Math.floor((rate * 4) / 3),
    localBlocksLiveTracesBytes: Math.min(TEMPO_LOCAL_BLOCKS_MAX, Math.floor(mem * MEMORY_SHARE.tempoLocalBlocks)),
    generatorMaxActiveSeries: Math.min(byTempo, byPrometheus),
  };
}

// ---------------------------------------------------------------------------------------------------
// Prometheus

/** Prometheus's `--query.max-samples` default, kept as the ceiling. */
const PROMETHEUS_MAX_SAMPLES_DEFAULT = 50_000_000;
/** Prometheus's `--query.max-concurrency` default, kept as the ceiling. */
const PROMETHEUS_MAX_CONCURRENCY_DEFAULT = 20;

/** `sample_limit` of the stack's own components: a runaway guard well above what any of them exposes. */
export const COMPONENT_SAMPLE_LIMIT = 50_000;

export interface PrometheusSizing {
  /** Active series the memory limit holds (planning figure, not enforced by Prometheus). */
  readonly activeSeries: number;
  /** `--query.max-concurrency`: one query per 512 MiB, between 4 (a dashboard's panels) and upstream's 20. */
  readonly queryConcurrency: number;
  /** `--query.max-samples`: the concurrent queries' share of memory, split between them. */
  readonly queryMaxSamples: number;
  /** `sample_limit` of a node-containers job (per node: the cAdvisor DaemonSet's, the kubelet's cAdvisor): a full node's containers. */
  readonly nodeContainersSampleLimit: number;
  /** `sample_limit` of the annotated-pods job (per pod): a tenth of the series budget. */
  readonly podSampleLimit: number;
}

export function prometheusSizing(p: PrometheusConfig): PrometheusSizing {
  const mem = memoryLimitBytes(p.resources);
  const activeSeries = Math.floor((mem * MEMORY_SHARE.prometheusSeries) / COST.prometheusBytesPerSeries);
  const queryConcurrency = Math.min(PROMETHEUS_MAX_CONCURRENCY_DEFAULT, Math.max(4, Math.floor(mem / (512 * MiB))));
  const queryMaxSamples = Math.min(
    PROMETHEUS_MAX_SAMPLES_DEFAULT,
    Math.floor((mem * MEMORY_SHARE.prometheusQueries) / queryConcurrency / COST.prometheusBytesPerSample),
  );
  return {
    activeSeries,
    queryConcurrency,
    queryMaxSamples,
    nodeContainersSampleLimit: COST.containersPerNode * COST.cadvisorSeriesPerContainer,
    podSampleLimit: Math.floor(activeSeries / 10),
  };
}

// ---------------------------------------------------------------------------------------------------
// What a profile holds

/** The scale one environment's limits allow (the README's table). */
export interface Capacity {
  readonly containersPerNode: number;
  /** Containers across the cluster whose logs Loki keeps streams for. */
  readonly containersLogged: number;
  readonly logLinesPerSecond: number;
  readonly spansPerSecond: number;
  readonly activeSeries: number;
}

export function capacityOf(cfg: StackConfig): Capacity {
  const prom = prometheusSizing(cfg.prometheus);
  return {
    containersPerNode: Math.floor(prom.nodeContainersSampleLimit / COST.cadvisorSeriesPerContainer),
    containersLogged: Math.floor(lokiSizing(cfg.loki).maxGlobalStreamsPerUser / COST.lokiStreamsPerContainer),
    logLinesPerSecond: Math.floor((cfg.loki.limits.ingestionRateMB * MiB) / COST.logLineBytes),
    spansPerSecond: Math.floor(tempoSizing(cfg.tempo, cfg.prometheus).rateLimitBytes / COST.spanBytes),
    activeSeries: prom.activeSeries,
  };
}
