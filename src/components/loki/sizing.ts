/** Loki's limits derived from its containers' memory, and the scale they allow (planning figures: `src/config/sizing.ts`). */
import { MiB, memoryLimitBytes } from '../../config/sizing';
import type { LokiConfig, ResourceSpec, StackConfig } from '../../config/types';
import type { CapacityFigure } from '../component';

/** What one unit of load costs. */
export const LOKI_COST = {
  /** Streams per container: stdout and stderr, twice over for the 30 minutes old pods' streams stay after a rollout (chunk_idle_period). */
  streamsPerContainer: 4,
  /** One log line as shipped (a JSON line with trace context and labels). */
  logLineBytes: 256,
} as const;

/** Shares of one container's memory limit that one in-memory structure may take. */
export const MEMORY_SHARE = {
  /** WAL replay flushes to storage past this; Loki's guidance is about 75 % (nothing else runs until replay ends). */
  walReplay: 0.75,
  /** The active streams, each holding at least its head block (ingester.chunk_block_size). */
  streams: 0.5,
  /** The embedded chunk cache. */
  chunkCache: 0.1,
  /** The query-range results cache, shared by the six caches that copy its settings. */
  resultsCaches: 0.1,
} as const;

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
  const streamsPerIngester = Math.floor((ingesterMem * MEMORY_SHARE.streams) / LOKI_CHUNK_BLOCK_BYTES);
  return {
    walReplayCeilingBytes: Math.floor((ingesterMem * MEMORY_SHARE.walReplay) / MiB) * MiB,
    // Each stream lives on `rf` of the ingesters.
    maxGlobalStreamsPerUser: Math.floor((streamsPerIngester * ingesters) / rf),
    chunkCacheMB: Math.floor((smallestMem * MEMORY_SHARE.chunkCache) / 1e6),
    resultsCacheMB: Math.floor((smallestMem * MEMORY_SHARE.resultsCaches) / LOKI_RESULTS_CACHE_COPIES / 1e6),
  };
}

/** The "Sized for" figures: containers whose logs the stream limit holds, and the lines the ingestion rate lets in. */
export function lokiCapacity(cfg: StackConfig): CapacityFigure[] {
  return [
    { label: 'containers with logs', value: Math.floor(lokiSizing(cfg.loki).maxGlobalStreamsPerUser / LOKI_COST.streamsPerContainer) },
    { label: 'log lines/s', value: Math.floor((cfg.loki.limits.ingestionRateMB * MiB) / LOKI_COST.logLineBytes) },
  ];
}
