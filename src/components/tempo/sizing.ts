/** Tempo's limits derived from its memory and the metrics store's series budget, and the scale they allow (planning figures: `src/config/sizing.ts`). */
import { memoryLimitBytes } from '../../config/sizing';
import type { StackConfig, TempoConfig } from '../../config/types';
import { type SeriesBudget, metricsSeriesBudget } from '../../lib/series-budget';
import type { CapacityFigure } from '../component';

/** What one unit of load costs. */
export const TEMPO_COST = {
  /** One span as received (OTLP protobuf with a dozen attributes). */
  spanBytes: 500,
  /** One active series of the metrics-generator (registry entry and its remote-write WAL). */
  bytesPerGeneratorSeries: 8 * 1024,
} as const;

/** Shares of Tempo's memory limit that one in-memory structure may take. */
export const MEMORY_SHARE = {
  /** Live traces: what the ingestion rate limit lets in during one trace_live_period. */
  liveTraces: 0.25,
  /** The local-blocks processor's (TraceQL metrics) live traces. */
  localBlocks: 0.125,
  /** The metrics-generator's series. */
  generatorSeries: 0.25,
} as const;

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

export function tempoSizing(tempo: TempoConfig, metricsStore: SeriesBudget): TempoSizing {
  const mem = memoryLimitBytes(tempo.resources);
  const rate = Math.floor((mem * MEMORY_SHARE.liveTraces) / TEMPO_TRACE_LIVE_SECONDS);
  // The generator's series land in the metrics store: at most a quarter of its series budget, and of Tempo's memory.
  const byTempo = Math.floor((mem * MEMORY_SHARE.generatorSeries) / TEMPO_COST.bytesPerGeneratorSeries);
  const byStore = Math.floor(metricsStore.activeSeries / 4);
  return {
    rateLimitBytes: rate,
    burstSizeBytes: Math.floor((rate * 4) / 3),
    localBlocksLiveTracesBytes: Math.min(TEMPO_LOCAL_BLOCKS_MAX, Math.floor(mem * MEMORY_SHARE.localBlocks)),
    generatorMaxActiveSeries: Math.min(byTempo, byStore),
  };
}

/** The "Sized for" figure: spans/s the ingestion rate limit lets in. */
export function tempoCapacity(cfg: StackConfig): CapacityFigure[] {
  return [{ label: 'spans/s', value: Math.floor(tempoSizing(cfg.tempo, metricsSeriesBudget(cfg)).rateLimitBytes / TEMPO_COST.spanBytes) }];
}
