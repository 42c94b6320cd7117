/**
 * Rendered configs held against the pods that run them, read from the output only:
 * - memory (`checkMemoryCeilings`): no in-memory ceiling, cache, replay limit or live-data bound of Loki,
 *   Tempo or Prometheus above what the container's memory limit can hold, with each component's upstream
 *   default standing in for a key the config leaves out (so a key dropped from the renderer is caught);
 * - timeouts (`checkTimeoutChains`): a query runs out before the backend's HTTP server stops writing, which
 *   stops before Grafana gives up; a log agent's push times out before the backend's read timeout, and the
 *   agent keeps retrying longer than a Loki pod may take to stop and start again.
 * - Prometheus scrape jobs each carry a `sample_limit`, and retention sits in the config file.
 *
 * The upstream defaults are those of the pinned versions (Loki 3.7.6, Tempo 2.10.8, Prometheus 3.14.0,
 * Promtail 3.6.15, Alloy 1.18.1, Grafana 13.2), each noted where it is used.
 */
import { PROMETHEUS_COST } from '../../../src/components/prometheus/sizing';
import { TEMPO_COST } from '../../../src/components/tempo/sizing';
import { parseDuration, parseGoDuration, parseQuantity } from '../../../src/config/units';
import { type ConfigMapFile, configMapFiles } from './config-files';
import { alloyBlocks, lokiConfigs, tempoConfigs } from './correlation';
import { datasourceFiles } from './grafana';
import { type KubeObject, type Problem, containersOf, objectId, podTemplate } from './problem';
import { findPrometheus } from './prometheus';



/** Shares of a memory limit the checks allow; looser than the ones src/config/sizing.ts picks. */
export const LIMITS = {
  lokiWalReplay: 0.8,
  lokiCaches: 0.25,
  lokiStreamsAndCaches: 0.75,
  tempoLiveTraces: 0.3,
  tempoLiveTracesAndLocalBlocks: 0.5,
  tempoOneTrace: 0.1,
  tempoGeneratorSeries: 0.3,
  prometheusQueries: 0.5,
} as const;

/** A container that runs a config file, with its memory limit in bytes. */
export interface ConfigRunner {
  readonly workload: KubeObject;
  readonly container: any;
  readonly path: string;
  readonly memoryBytes: number;
  readonly replicas: number;
}

/** Containers that mount the ConfigMap of `file` (a configMap volume or a projected source naming it). */
export function runnersOf(objects: readonly KubeObject[], file: ConfigMapFile): ConfigRunner[] {
  const out: ConfigRunner[] = [];
  for (const w of objects) {
    const tpl = podTemplate(w);
    if (!tpl || w.metadata.namespace !== file.cm.metadata.namespace) continue;
    const volumes = (tpl.spec.volumes ?? []).filter((v: any) =>
      v.configMap?.name === file.cm.metadata.name || (v.projected?.sources ?? []).some((s: any) => s.configMap?.name === file.cm.metadata.name));
    if (volumes.length === 0) continue;
    const names = new Set(volumes.map((v: any) => v.name));
    for (const { container, path } of containersOf(tpl.spec, '/spec/template')) {
      if (!(container.volumeMounts ?? []).some((m: any) => names.has(m.name))) continue;
      out.push({ workload: w, container, path, memoryBytes: parseQuantity(container.resources?.limits?.memory) ?? 0, replicas: w.kind === 'DaemonSet' ? 1 : (w.spec?.replicas ?? 1) });
    }
  }
  return out;
}

/** A value of `-name=value` in a container's args (either dash style). */
export function argValue(container: any, name: string): string | undefined {
  const arg = (container.args ?? []).find((a: string) => a.startsWith(`-${name}=`) || a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : arg.slice(arg.indexOf('=') + 1);
}

/** A datasize / Base2Bytes value (`384MB` is 384 MiB, as Loki's flagext.ByteSize reads it) in bytes. */
export function parseByteSize(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^(\d+)\s*(B|KB|MB|GB|TB)?$/i.exec(String(v ?? ''));
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase();
  return Number(m[1]) * { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 }[unit as 'B']!;
}

/** Seconds of a Go or Prometheus duration, or undefined. */
export function seconds(v: unknown): number | undefined {
  const ms = parseGoDuration(v) ?? parseDuration(v);
  return ms === undefined ? undefined : ms / 1000;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

// ---------------------------------------------------------------------------------------------------
// Loki

/** Loki 3.7.6 defaults the checks fall back on. */
export const LOKI_DEFAULTS = {
  /** pkg/ingester/wal.go defaultCeiling. */
  walReplayCeiling: 4 * 2 ** 30,
  /** validation.max-global-streams-per-user. */
  maxGlobalStreamsPerUser: 5000,
  /** ingester.chunk-block-size. */
  chunkBlockSize: 262144,
  /** Embedded caches (pkg/storage/chunk/cache/embeddedcache.go), MB of 10^6 bytes. */
  embeddedCacheMB: 100,
  /** querier.query-timeout. */
  queryTimeout: 60,
  /** dskit server.http-write-timeout / http-read-timeout. */
  httpWriteTimeout: 30,
  httpReadTimeout: 30,
  /** common.replication_factor. */
  replicationFactor: 3,
} as const;

/** The query-range caches that copy the results cache's settings when not configured (pkg/loki/config_wrapper.go). */
const LOKI_COPIED_CACHES = ['index_stats_results_cache', 'volume_results_cache', 'series_results_cache', 'label_results_cache', 'instant_metric_results_cache'];

function cacheConfigured(c: any): boolean {
  return c !== undefined && (c.memcached_client?.addresses !== undefined || c.memcached_client?.host !== undefined || c.redis?.endpoint !== undefined || c.embedded_cache?.enabled === true);
}

/** Bytes Loki's embedded caches may take, as Loki 3.7 turns them on (applyEmbeddedCacheConfig). */
export function lokiEmbeddedCacheBytes(doc: any): number {
  const embedded = (c: any) => (c?.embedded_cache?.enabled ? (c.embedded_cache.max_size_mb ?? LOKI_DEFAULTS.embeddedCacheMB) * 1e6 : 0);
  const chunk = doc.chunk_store_config?.chunk_cache_config;
  const results = doc.query_range?.results_cache?.cache;
  // Unconfigured chunk and results caches become embedded ones of the default size.
  const chunkBytes = cacheConfigured(chunk) ? embedded(chunk) : LOKI_DEFAULTS.embeddedCacheMB * 1e6;
  const resultsBytes = cacheConfigured(results) ? embedded(results) : LOKI_DEFAULTS.embeddedCacheMB * 1e6;
  const copies = LOKI_COPIED_CACHES.map((k) => {
    const c = doc.query_range?.[k]?.cache;
    return cacheConfigured(c) ? embedded(c) : resultsBytes;
  });
  return chunkBytes + resultsBytes + copies.reduce((a, b) => a + b, 0);
}

const INGESTER_TARGETS = new Set(['all', 'write', 'ingester']);

function lokiTarget(container: any): string {
  return argValue(container, 'target') ?? 'all';
}

function checkLokiMemory(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  for (const f of lokiConfigs(objects)) {
    const doc = f.doc;
    const runners = runnersOf(objects, f);
    const p = (r: ConfigRunner, path: string, message: string) =>
      out.push({ check: 'resources', object: objectId(r.workload), path: `${r.path} (${objectId(f.cm)} /data/${f.key}#${path})`, message });
    const caches = lokiEmbeddedCacheBytes(doc);
    const ingesters = runners.filter((r) => INGESTER_TARGETS.has(lokiTarget(r.container)));
    const ingesterReplicas = ingesters.reduce((a, r) => a + r.replicas, 0);
    const rf = doc.common?.replication_factor ?? LOKI_DEFAULTS.replicationFactor;
    const streams = doc.limits_config?.max_global_streams_per_user ?? LOKI_DEFAULTS.maxGlobalStreamsPerUser;
    const blockSize = doc.ingester?.chunk_block_size ?? LOKI_DEFAULTS.chunkBlockSize;
    const ceilingRaw = doc.ingester?.wal?.replay_memory_ceiling;
    const ceiling = ceilingRaw === undefined ? LOKI_DEFAULTS.walReplayCeiling : parseByteSize(ceilingRaw);
    for (const r of runners) {
      if (caches > LIMITS.lokiCaches * r.memoryBytes) {
        p(r, '/chunk_store_config', `embedded caches may hold ${gib(caches)}, over ${LIMITS.lokiCaches * 100}% of the ${gib(r.memoryBytes)} memory limit`);
      }
    }
    for (const r of ingesters) {
      if (ceiling === undefined) { p(r, '/ingester/wal/replay_memory_ceiling', `${JSON.stringify(ceilingRaw)} is not a byte size`); continue; }
      if (ceiling > LIMITS.lokiWalReplay * r.memoryBytes) {
        p(r, '/ingester/wal/replay_memory_ceiling', `WAL replay may fill ${gib(ceiling)} before flushing, over ${LIMITS.lokiWalReplay * 100}% of the ${gib(r.memoryBytes)} memory limit: an unclean restart replays into an OOM kill`);
      }
      // Each stream lives on `rf` ingesters and keeps at least one head block in memory.
      const perIngester = (streams * Math.min(rf, ingesterReplicas)) / Math.max(1, ingesterReplicas);
      const held = perIngester * blockSize + caches;
      if (held > LIMITS.lokiStreamsAndCaches * r.memoryBytes) {
        p(r, '/limits_config/max_global_streams_per_user', `${streams} streams (${Math.round(perIngester)} per ingester at ${blockSize} B each) plus caches hold ${gib(held)}, over ${LIMITS.lokiStreamsAndCaches * 100}% of the ${gib(r.memoryBytes)} memory limit`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Tempo

/** Tempo 2.10.8 defaults the checks fall back on (modules/overrides, modules/ingester, modules/frontend, modules/querier). */
export const TEMPO_DEFAULTS = {
  rateLimitBytes: 15e6,
  burstSizeBytes: 20e6,
  traceLivePeriod: 30,
  maxBytesPerTrace: 5e6,
  localBlocksLiveTracesBytes: 250e6,
  /** 0: unlimited. */
  generatorMaxActiveSeries: 0,
  /** query_frontend.api_timeout: 0 disables it. */
  apiTimeout: 0,
  searchQueryTimeout: 30,
  httpWriteTimeout: 30,
} as const;

function checkTempoMemory(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  for (const f of tempoConfigs(objects)) {
    const d = f.doc;
    const ingestion = d.overrides?.defaults?.ingestion ?? {};
    const rate = ingestion.rate_limit_bytes ?? TEMPO_DEFAULTS.rateLimitBytes;
    const burst = ingestion.burst_size_bytes ?? TEMPO_DEFAULTS.burstSizeBytes;
    const live = seconds(d.ingester?.trace_live_period) ?? TEMPO_DEFAULTS.traceLivePeriod;
    const liveBytes = rate * live + burst;
    const localBlocks = d.metrics_generator !== undefined
      ? (d.metrics_generator.processor?.local_blocks?.max_live_traces_bytes ?? TEMPO_DEFAULTS.localBlocksLiveTracesBytes) : 0;
    const oneTrace = d.overrides?.defaults?.global?.max_bytes_per_trace ?? TEMPO_DEFAULTS.maxBytesPerTrace;
    const generatorSeries = d.metrics_generator !== undefined
      ? (d.overrides?.defaults?.metrics_generator?.max_active_series ?? TEMPO_DEFAULTS.generatorMaxActiveSeries) : undefined;
    for (const r of runnersOf(objects, f)) {
      const p = (path: string, message: string) =>
        out.push({ check: 'resources', object: objectId(r.workload), path: `${r.path} (${objectId(f.cm)} /data/${f.key}#${path})`, message });
      const mem = r.memoryBytes;
      if (liveBytes > LIMITS.tempoLiveTraces * mem) {
        p('/overrides/defaults/ingestion', `${(rate / 1e6).toFixed(1)} MB/s for a ${live}s trace_live_period (plus a ${(burst / 1e6).toFixed(1)} MB burst) holds ${gib(liveBytes)} of live traces, over ${LIMITS.tempoLiveTraces * 100}% of the ${gib(mem)} memory limit`);
      }
      if (liveBytes + localBlocks > LIMITS.tempoLiveTracesAndLocalBlocks * mem) {
        p('/metrics_generator/processor/local_blocks/max_live_traces_bytes', `live traces and the local-blocks buffer hold ${gib(liveBytes + localBlocks)}, over ${LIMITS.tempoLiveTracesAndLocalBlocks * 100}% of the ${gib(mem)} memory limit`);
      }
      if (oneTrace <= 0 || oneTrace > LIMITS.tempoOneTrace * mem) {
        p('/overrides/defaults/global/max_bytes_per_trace', `one trace may take ${oneTrace} bytes (0: unlimited), above ${LIMITS.tempoOneTrace * 100}% of the ${gib(mem)} memory limit`);
      }
      if (generatorSeries !== undefined) {
        if (generatorSeries <= 0) p('/overrides/defaults/metrics_generator/max_active_series', 'the metrics-generator\'s series are unlimited (0)');
        else if (generatorSeries * TEMPO_COST.bytesPerGeneratorSeries > LIMITS.tempoGeneratorSeries * mem) {
          p('/overrides/defaults/metrics_generator/max_active_series', `${generatorSeries} series at ${TEMPO_COST.bytesPerGeneratorSeries} B hold ${gib(generatorSeries * TEMPO_COST.bytesPerGeneratorSeries)}, over ${LIMITS.tempoGeneratorSeries * 100}% of the ${gib(mem)} memory limit`);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Prometheus

/** Prometheus 3.14.0 defaults (cmd/prometheus/main.go). */
export const PROMETHEUS_DEFAULTS = { queryConcurrency: 20, queryMaxSamples: 50_000_000, queryTimeout: 120 } as const;

function checkPrometheusMemory(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  for (const f of findPrometheus(objects)) {
    const p = (path: string, message: string) => out.push({ check: 'resources', object: objectId(f.workload), path, message });
    const mem = parseQuantity(f.container.resources?.limits?.memory) ?? 0;
    const concurrency = Number(argValue(f.container, 'query.max-concurrency') ?? PROMETHEUS_DEFAULTS.queryConcurrency);
    const samples = Number(argValue(f.container, 'query.max-samples') ?? PROMETHEUS_DEFAULTS.queryMaxSamples);
    const held = concurrency * samples * PROMETHEUS_COST.bytesPerSample;
    if (held > LIMITS.prometheusQueries * mem) {
      p('/spec/template/spec/containers/0/args', `${concurrency} concurrent queries of up to ${samples} samples hold ${gib(held)}, over ${LIMITS.prometheusQueries * 100}% of the ${gib(mem)} memory limit`);
    }
    for (const flag of ['storage.tsdb.retention.time', 'storage.tsdb.retention.size']) {
      if (argValue(f.container, flag) !== undefined) p('/spec/template/spec/containers/0/args', `--${flag} is deprecated in Prometheus 3.14: set storage.tsdb.retention in the config file`);
    }
    const retention = f.config?.storage?.tsdb?.retention;
    if (retention?.time === undefined || retention?.size === undefined) p(`${f.configPath}#/storage/tsdb/retention`, 'retention time and size belong in the config file');
    (f.config?.scrape_configs ?? []).forEach((job: any, i: number) => {
      const limit = job.sample_limit ?? f.config?.global?.sample_limit;
      if (!(Number(limit) > 0)) p(`${f.configPath}#/scrape_configs/${i}(${job.job_name})`, 'has no sample_limit: one target exposing a cardinality explosion fills the head');
    });
  }
  return out;
}

/** Memory: Loki, Tempo and Prometheus against their containers. */
export function checkMemoryCeilings(objects: readonly KubeObject[]): Problem[] {
  return [...checkLokiMemory(objects), ...checkTempoMemory(objects), ...checkPrometheusMemory(objects)];
}

// ---------------------------------------------------------------------------------------------------
// Timeouts

/** Grafana 13.2's `[dataproxy] timeout` default. */
export const GRAFANA_DATAPROXY_TIMEOUT_DEFAULT = 30;

/** `[section] key` of the grafana.ini files in the output. */
export function grafanaIniValue(objects: readonly KubeObject[], section: string, key: string): string | undefined {
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [k, text] of Object.entries(cm.data ?? {})) {
      if (!k.endsWith('.ini') || typeof text !== 'string') continue;
      let current = '';
      for (const line of text.split('\n')) {
        const s = /^\[([^\]]+)\]\s*$/.exec(line.trim());
        if (s) { current = s[1]; continue; }
        const kv = /^([\w.]+)\s*=\s*(.*)$/.exec(line.trim());
        if (kv && current === section && kv[1] === key) return kv[2];
      }
    }
  }
  return undefined;
}

interface AgentDelivery { object: string; path: string; timeout: number; minBackoff: number; maxBackoff: number; retries: number }

/** Promtail 3.6.15 and Alloy 1.18.1 client defaults (clients/pkg/promtail/client/config.go, loki.write docs). */
export const AGENT_DEFAULTS = { timeout: 10, minBackoff: 0.5, maxBackoff: 300, retries: 10 } as const;

/** Each log agent's push timeout and retries, from Promtail's YAML or Alloy's `loki.write` endpoint. */
export function agentDeliveries(objects: readonly KubeObject[]): AgentDelivery[] {
  const out: AgentDelivery[] = [];
  for (const f of configMapFiles(objects, /\.ya?ml$/).filter((x) => Array.isArray(x.doc.clients) && Array.isArray(x.doc.scrape_configs))) {
    (f.doc.clients as any[]).forEach((c, i) => out.push({
      object: objectId(f.cm), path: `/data/${f.key}#/clients/${i}`,
      timeout: seconds(c.timeout) ?? AGENT_DEFAULTS.timeout,
      minBackoff: seconds(c.backoff_config?.min_period) ?? AGENT_DEFAULTS.minBackoff,
      maxBackoff: seconds(c.backoff_config?.max_period) ?? AGENT_DEFAULTS.maxBackoff,
      retries: c.backoff_config?.max_retries ?? AGENT_DEFAULTS.retries,
    }));
  }
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (typeof text !== 'string' || !/\.(alloy|river)$/.test(key)) continue;
      for (const w of alloyBlocks(text, /\bloki\.write/)) {
        alloyBlocks(w, /\bendpoint/).forEach((e, i) => {
          const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"?([^"\\s,]+)"?`).exec(e)?.[1];
          out.push({
            object: objectId(cm), path: `/data/${key}#loki.write/endpoint/${i}`,
            timeout: seconds(attr('remote_timeout')) ?? AGENT_DEFAULTS.timeout,
            minBackoff: seconds(attr('min_backoff_period')) ?? AGENT_DEFAULTS.minBackoff,
            maxBackoff: seconds(attr('max_backoff_period')) ?? AGENT_DEFAULTS.maxBackoff,
            retries: Number(attr('max_backoff_retries') ?? AGENT_DEFAULTS.retries),
          });
        });
      }
    }
  }
  return out;
}

/** The least time retries last: waits doubling from the minimum up to the maximum (dskit backoff). */
export function retryWindow(d: Pick<AgentDelivery, 'minBackoff' | 'maxBackoff' | 'retries'>): number {
  let total = 0;
  for (let i = 0; i < d.retries; i++) total += Math.min(d.minBackoff * 2 ** i, d.maxBackoff);
  return total;
}

/** How long a pod may take to stop and start again before its probes give up on it. */
export function restartBudgetSeconds(workload: KubeObject, container: any): number {
  const s = container.startupProbe;
  const startup = s ? (s.initialDelaySeconds ?? 0) + (s.periodSeconds ?? 10) * (s.failureThreshold ?? 3) : 0;
  return (podTemplate(workload)?.spec?.terminationGracePeriodSeconds ?? 30) + startup;
}

/** The effective timeout Grafana gives one provisioned datasource, seconds. */
function grafanaTimeout(ds: any, dataproxy: number): number {
  const t = Number(ds.jsonData?.timeout);
  return t > 0 ? t : dataproxy;
}

export function checkTimeoutChains(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  const dataproxy = Number(grafanaIniValue(objects, 'dataproxy', 'timeout') ?? GRAFANA_DATAPROXY_TIMEOUT_DEFAULT);
  const datasources = datasourceFiles(objects).flatMap((f) => (f.doc.datasources as any[]).map((ds, i) => ({ ds, where: `${objectId(f.cm)} /data/${f.key}#/datasources/${i}` })));

  for (const f of lokiConfigs(objects)) {
    const where = `${objectId(f.cm)} /data/${f.key}`;
    const query = seconds(f.doc.limits_config?.query_timeout) ?? LOKI_DEFAULTS.queryTimeout;
    const write = seconds(f.doc.server?.http_server_write_timeout) ?? LOKI_DEFAULTS.httpWriteTimeout;
    const read = seconds(f.doc.server?.http_server_read_timeout) ?? LOKI_DEFAULTS.httpReadTimeout;
    if (query >= write) out.push({ check: 'timeouts', object: where, path: '/server/http_server_write_timeout', message: `Loki's HTTP write timeout (${write}s) cuts queries before their ${query}s query_timeout` });
    for (const { ds, where: dsWhere } of datasources.filter((x) => x.ds.type === 'loki')) {
      const g = grafanaTimeout(ds, dataproxy);
      if (g <= write) out.push({ check: 'timeouts', object: dsWhere, path: '/jsonData/timeout', message: `Grafana gives Loki ${g}s, not more than Loki's ${write}s HTTP write timeout` });
    }
    for (const a of agentDeliveries(objects)) {
      if (a.timeout >= read) out.push({ check: 'timeouts', object: a.object, path: a.path, message: `a push may take ${a.timeout}s, not less than Loki's ${read}s HTTP read timeout` });
      for (const r of runnersOf(objects, f).filter((x) => INGESTER_TARGETS.has(lokiTarget(x.container)))) {
        const budget = restartBudgetSeconds(r.workload, r.container);
        const window = retryWindow(a);
        if (window <= budget) out.push({ check: 'timeouts', object: a.object, path: a.path, message: `the agent drops a batch after ${window}s of retries, before ${objectId(r.workload)} (up to ${budget}s to stop and start) is back` });
      }
    }
  }

  for (const f of tempoConfigs(objects)) {
    const where = `${objectId(f.cm)} /data/${f.key}`;
    const api = seconds(f.doc.query_frontend?.api_timeout) ?? TEMPO_DEFAULTS.apiTimeout;
    const search = seconds(f.doc.querier?.search?.query_timeout) ?? TEMPO_DEFAULTS.searchQueryTimeout;
    const write = seconds(f.doc.server?.http_server_write_timeout) ?? TEMPO_DEFAULTS.httpWriteTimeout;
    if (api <= 0) out.push({ check: 'timeouts', object: where, path: '/query_frontend/api_timeout', message: `no query time limit: the ${write}s HTTP write timeout cuts long searches without an answer` });
    else if (api >= write) out.push({ check: 'timeouts', object: where, path: '/server/http_server_write_timeout', message: `Tempo's HTTP write timeout (${write}s) cuts queries before their ${api}s api_timeout` });
    if (api > 0 && search > api) out.push({ check: 'timeouts', object: where, path: '/querier/search/query_timeout', message: `one search job (${search}s) outlasts the whole query (${api}s)` });
    for (const { ds, where: dsWhere } of datasources.filter((x) => x.ds.type === 'tempo')) {
      const g = grafanaTimeout(ds, dataproxy);
      if (g <= write) out.push({ check: 'timeouts', object: dsWhere, path: '/jsonData/timeout', message: `Grafana gives Tempo ${g}s, not more than Tempo's ${write}s HTTP write timeout` });
    }
  }

  const prometheus = findPrometheus(objects)[0];
  const promQueryTimeout = prometheus ? (seconds(argValue(prometheus.container, 'query.timeout')) ?? PROMETHEUS_DEFAULTS.queryTimeout) : undefined;
  for (const { ds, where } of datasources.filter((x) => x.ds.type === 'prometheus')) {
    const g = grafanaTimeout(ds, dataproxy);
    const query = seconds(ds.jsonData?.queryTimeout);
    if (query === undefined) { out.push({ check: 'timeouts', object: where, path: '/jsonData/queryTimeout', message: 'no queryTimeout: queries run until Grafana\'s HTTP timeout cuts them' }); continue; }
    if (g <= query) out.push({ check: 'timeouts', object: where, path: '/jsonData/timeout', message: `Grafana gives the metrics store ${g}s, not more than the ${query}s query timeout it sends` });
    // A store outside the cluster has its own limits; the local Prometheus caps the query at --query.timeout.
    const local = /\.svc(\.cluster\.local)?(:\d+)?(\/|$)/.test(String(ds.url));
    if (local && promQueryTimeout !== undefined && query > promQueryTimeout) {
      out.push({ check: 'timeouts', object: where, path: '/jsonData/queryTimeout', message: `asks for ${query}s, above Prometheus's --query.timeout (${promQueryTimeout}s)` });
    }
  }
  return out;
}
